package doctype

import (
	"context"
	"testing"

	"github.com/chorus-go/chorus/llm/llmtest"
)

// The vote weighs the rules 1.2, naive Bayes 1 and a model 1.5.
func TestVote(t *testing.T) {
	model := llmtest.NewModel("m").WithDefault(llmtest.JSON(map[string]string{"label": "letter"}))
	members := Members(trained(t), Model{Name: "llmtest:m", Chat: model})
	want := []struct {
		name   string
		weight float64
	}{{"rules", 1.2}, {"naive-bayes", 1}, {"llmtest:m", 1.5}}
	if len(members) != len(want) {
		t.Fatalf("%d members", len(members))
	}
	for i, m := range members {
		if m.Name != want[i].name || m.Weight != want[i].weight {
			t.Errorf("member %d: %s %v, want %s %v", i, m.Name, m.Weight, want[i].name, want[i].weight)
		}
	}
	// Rules and Bayes (2.2) outweigh the model (1.5) on an invoice.
	v, err := Vote(members).Run(context.Background(), "Invoice 77 - amount due 300.00 EUR, bill to Foo Ltd")
	if err != nil || v.Answer != Invoice || len(v.Ballots) != 3 || v.Ballots[2].Answer != Letter {
		t.Fatalf("verdict %+v, %v", v, err)
	}
	if v.Agreement < 0.59 || v.Agreement > 0.6 {
		t.Errorf("agreement %.3f, want 2.2/3.7", v.Agreement)
	}
}
