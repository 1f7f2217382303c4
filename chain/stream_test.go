package chain_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
)

// words streams its input word by word.
type words struct{}

func (words) Run(ctx context.Context, s string) (string, error) { return s, nil }

func (words) StreamText(ctx context.Context, s string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for _, w := range strings.Fields(s) {
			if !yield(w+" ", nil) {
				return
			}
		}
	}
}

func collect(t *testing.T, seq iter.Seq2[string, error]) ([]string, error) {
	t.Helper()
	var pieces []string
	for p, err := range seq {
		if err != nil {
			return pieces, err
		}
		pieces = append(pieces, p)
	}
	return pieces, nil
}

func TestStreamTextKeepsStreamingThroughComposition(t *testing.T) {
	upper := chain.Pure(strings.ToUpper)
	cases := map[string]chain.Chain[string, string]{
		"then":  chain.Then(upper, chain.Chain[string, string](words{})),
		"then3": chain.Then3(upper, chain.Pure(strings.TrimSpace), chain.Chain[string, string](words{})),
		"pipe":  chain.Pipe(upper, chain.Chain[string, string](words{})),
		"named": chain.Named("answer", chain.Then(upper, chain.Chain[string, string](words{}))),
	}
	for name, c := range cases {
		got, err := collect(t, chain.StreamText(context.Background(), c, "a b c"))
		if err != nil || strings.Join(got, "|") != "A |B |C " {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
	got, err := collect(t, chain.StreamText(context.Background(), add(1), 1))
	if err != nil || len(got) != 1 || got[0] != "2" {
		t.Fatalf("non-streaming: %q %v", got, err)
	}
	boom := errors.New("boom")
	_, err = collect(t, chain.StreamText(context.Background(), chain.Then(chain.Fn(func(ctx context.Context, s string) (string, error) { return "", boom }), chain.Chain[string, string](words{})), "x"))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	for range chain.StreamText(context.Background(), chain.Pipe(upper, chain.Chain[string, string](words{})), "a b c") {
		break // stopping early must be safe
	}
}

func TestStreamTextReportsToHooks(t *testing.T) {
	rec := &recorder{}
	ctx := chain.WithHooks(context.Background(), rec.hook())
	c := chain.Named("answer", chain.Then(chain.Named("prep", chain.Pure(strings.ToUpper)), chain.Chain[string, string](words{})))
	if _, err := collect(t, chain.StreamText(ctx, c, "a b")); err != nil {
		t.Fatal(err)
	}
	if strings.Join(rec.starts, ",") != "answer,answer/prep" || strings.Join(rec.ends, ",") != "answer/prep:func,answer:sequence" {
		t.Fatalf("starts %v ends %v", rec.starts, rec.ends)
	}
	boom := errors.New("boom")
	rec = &recorder{}
	ctx = chain.WithHooks(context.Background(), rec.hook())
	bad := chain.Named("bad", chain.Then(chain.Fn(func(ctx context.Context, s string) (string, error) { return "", boom }), chain.Chain[string, string](words{})))
	_, _ = collect(t, chain.StreamText(ctx, bad, "x"))
	if !errors.Is(rec.fails["bad"], boom) {
		t.Fatalf("fails %v", rec.fails)
	}
}
