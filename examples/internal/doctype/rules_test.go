package doctype

import (
	"context"
	"testing"

	"github.com/chorus-go/chorus/internal/testimages"
)

// The rules on the texts of docanalysis's sample scans.
func TestRuleClassifier(t *testing.T) {
	ctx := context.Background()
	for want, d := range map[Type]testimages.Document{
		Invoice: testimages.Invoice(), Receipt: testimages.NoisyReceipt(), Letter: testimages.Letter(),
		Contract: testimages.Contract(), Form: testimages.Form(),
	} {
		got, err := RuleClassifier{}.Run(ctx, d.Text())
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", d.Name, got, err, want)
		}
	}
	if _, err := (RuleClassifier{}).Run(ctx, "hello world"); err != errNoKeyword {
		t.Errorf("no keyword: %v", err)
	}
}
