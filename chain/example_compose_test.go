package chain_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

func ExampleWrap() {
	// A chat model takes a prompt; the stage takes a document. Wrap adapts
	// the types without adding a node: the graph still shows "gpt".
	gpt := chain.Named("gpt", chain.Pure(func(prompt string) string { return "label for " + prompt }))
	type doc struct{ Title, Body string }
	classify := chain.Wrap(gpt, func(ctx context.Context, d doc, gpt chain.Chain[string, string]) (string, error) {
		return gpt.Run(ctx, "Classify: "+d.Title)
	})
	out, err := classify.Run(context.Background(), doc{Title: "Invoice 42"})
	fmt.Println(out, err)
	fmt.Println(chain.Describe(classify).Name)
	// Output:
	// label for Classify: Invoice 42 <nil>
	// gpt
}

func ExampleSettle() {
	extract := chain.Named("extract", chain.Fn(func(ctx context.Context, text string) (int, error) {
		return strconv.Atoi(strings.TrimPrefix(text, "total "))
	}))
	// Record the failure and go on: the next stage sees it as a value.
	report := chain.Then(chain.Settle(extract), chain.Pure(func(s chain.Settled[int]) string {
		if s.Err != nil {
			return "extraction failed: " + s.Err.Error()
		}
		return "total is " + strconv.Itoa(s.Value)
	}))
	for _, in := range []string{"total 42", "total unknown"} {
		out, err := report.Run(context.Background(), in)
		fmt.Println(out, err)
	}
	// Output:
	// total is 42 <nil>
	// extraction failed: extract: strconv.Atoi: parsing "unknown": invalid syntax <nil>
}

func ExampleStep() {
	type state struct {
		Text  string
		Label string
		Words int
	}
	classify := chain.Pure(func(text string) string {
		if strings.Contains(text, "total") {
			return "invoice"
		}
		return "letter"
	})
	count := chain.Pure(func(text string) int { return len(strings.Fields(text)) })
	pipeline := chain.Pipe(
		chain.Step(classify, func(s state) string { return s.Text }, func(s state, label string) state { s.Label = label; return s }),
		chain.Step(count, func(s state) string { return s.Text }, func(s state, n int) state { s.Words = n; return s }),
	)
	out, err := pipeline.Run(context.Background(), state{Text: "total due 42"})
	fmt.Printf("%+v %v\n", out, err)
	// Output: {Text:total due 42 Label:invoice Words:3} <nil>
}

// third is a chain written by hand, with a bug: it panics on short input.
type third struct{}

func (third) Run(ctx context.Context, xs []int) (int, error) { return xs[2], nil }

func ExampleSafeRun() {
	// On a goroutine of its own, an unrecovered panic would end the
	// program; SafeRun makes it an error.
	errc := make(chan error, 1)
	go func() {
		_, err := chain.SafeRun[[]int, int](context.Background(), third{}, []int{1})
		errc <- err
	}()
	err := <-errc
	fmt.Println(errors.Is(err, chain.ErrPanic))
	// Output: true
}

// parse is a chain written by hand: Recover turns a panic in it into an
// error.
type parse struct{}

func (parse) Run(ctx context.Context, s string) (n int, err error) {
	defer chain.Recover(&err)
	if s == "" {
		panic("empty input")
	}
	return len(s), nil
}

func ExampleRecover() {
	_, err := parse{}.Run(context.Background(), "")
	var pe *chain.PanicError
	fmt.Println(err, errors.As(err, &pe))
	// Output: panic: empty input true
}
