package doctype

import (
	"context"
	"testing"
)

// trained returns naive Bayes trained on the bundled texts.
func trained(t *testing.T) *NaiveBayes {
	t.Helper()
	examples, err := Training()
	if err != nil {
		t.Fatal(err)
	}
	if len(examples) < 25 {
		t.Fatalf("%d training texts", len(examples))
	}
	nb, err := TrainNaiveBayes(examples)
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

// heldOut are texts of each type, none of them a training text.
var heldOut = map[string]Type{
	"Invoice 77 - amount due 300.00 EUR, bill to Foo Ltd, IBAN GB00":    Invoice,
	"SUPERSTORE total 4.20 cash 5.00 change 0.80 thank you":             Receipt,
	"Dear Anna, thank you for your kind words. Best wishes, Tom":        Letter,
	"This agreement between the parties shall terminate after the term": Contract,
	"Please complete this form: name, date of birth, signature":         Form,
}

func TestNaiveBayes(t *testing.T) {
	nb := trained(t)
	for text, want := range heldOut {
		got, p := nb.Classify(text)
		if got != want {
			t.Errorf("%q: %s (%.2f), want %s", text, got, p, want)
		}
		probs := nb.Probabilities(text)
		sum := 0.0
		for _, q := range probs {
			sum += q
		}
		if sum < 0.999 || sum > 1.001 {
			t.Errorf("probabilities sum to %v", sum)
		}
	}
	if _, err := nb.Run(context.Background(), "zzz qqq"); err == nil {
		t.Error("a text of unknown words was classified")
	}
	if _, err := TrainNaiveBayes(nil); err == nil {
		t.Error("trained on nothing")
	}
	if _, err := LoadExamples(training, "testdata"); err == nil {
		t.Error("loaded training texts from a folder with none")
	}
}

// Scored answers as Run does and scores the positive class's posterior.
func TestScored(t *testing.T) {
	nb := trained(t)
	ctx := context.Background()
	s, err := nb.Scored(Invoice)
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range heldOut {
		got, err := s.Run(ctx, text)
		if err != nil || got.Label != want || got.Score < 0 || got.Score > 1 {
			t.Errorf("%q: %+v, %v; want %s", text, got, err, want)
		}
		if want == Invoice && got.Score < 0.5 || want != Invoice && got.Score > 0.5 {
			t.Errorf("%q: P(invoice) = %.3f", text, got.Score)
		}
	}
	if _, err := s.Run(ctx, "zzz qqq"); err != errNoKnownWord {
		t.Errorf("unknown words: %v", err)
	}
	if _, err := nb.Scored("memo"); err == nil {
		t.Error("scored a class it never learnt")
	}
}
