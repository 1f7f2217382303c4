package llm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

func TestExtractor(t *testing.T) {
	const text = "INVOICE A-17\nACME Ltd\n3 x bolts @ 2.50\nTotal: 7.50"
	m := llmtest.NewModel("m", llmtest.Text(validInvoice))
	c := llm.Extractor[invoice](m, llm.WithSystem("The documents are French."))
	got, err := c.Run(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantInvoice, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	req := m.Requests()[0]
	sys := req.Messages[0].Text()
	if !strings.HasPrefix(sys, "The documents are French.\n\nExtract") || !strings.Contains(sys, "null") {
		t.Errorf("system message %q", sys)
	}
	if req.Messages[1].Role != llm.RoleUser || req.Messages[1].Text() != text {
		t.Errorf("the text was not sent as it is: %q", req.Messages[1].Text())
	}
}

func TestExtractorOfNamedStringInput(t *testing.T) {
	type page string
	m := llmtest.NewModel("m", llmtest.Text(`{"value":["a","b"]}`))
	c := llm.Structured[page, []string](m)
	got, err := c.Run(context.Background(), page("words a and b"))
	if err != nil || len(got) != 2 {
		t.Fatalf("%v, %v", got, err)
	}
	if u := m.Requests()[0].Messages[1].Text(); u != "words a and b" {
		t.Errorf("user message %q", u)
	}
}
