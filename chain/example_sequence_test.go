package chain_test

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

func ExampleFn() {
	parse := chain.Fn(func(ctx context.Context, s string) (int, error) {
		return strconv.Atoi(strings.TrimSpace(s))
	})
	n, err := parse.Run(context.Background(), " 42 ")
	fmt.Println(n, err)
	_, err = parse.Run(context.Background(), "forty-two")
	fmt.Println(err)
	// Output:
	// 42 <nil>
	// strconv.Atoi: parsing "forty-two": invalid syntax
}

func ExamplePure() {
	upper := chain.Pure(strings.ToUpper)
	out, err := upper.Run(context.Background(), "invoice")
	fmt.Println(out, err)
	// Output: INVOICE <nil>
}

func ExampleIdentity() {
	// Keep the input next to a stage's output for a later stage.
	withLength := chain.Join(chain.Identity[string](), chain.Pure(func(s string) int { return len(s) }))
	p, _ := withLength.Run(context.Background(), "hello")
	fmt.Println(p.First, p.Second)
	// Output: hello 5
}

func ExampleThen() {
	parse := chain.Fn(func(ctx context.Context, s string) (int, error) { return strconv.Atoi(s) })
	double := chain.Pure(func(n int) int { return 2 * n })
	c := chain.Then(parse, double) // string -> int -> int, checked by the compiler
	out, err := c.Run(context.Background(), "21")
	fmt.Println(out, err)
	// Output: 42 <nil>
}

func ExampleThen3() {
	c := chain.Then3(
		chain.Pure(strings.TrimSpace),
		chain.Pure(strings.ToLower),
		chain.Pure(func(s string) []string { return strings.Fields(s) }),
	)
	out, _ := c.Run(context.Background(), "  Total Due 42 ")
	fmt.Printf("%q\n", out)
	// Output: ["total" "due" "42"]
}

func ExampleThen4() {
	c := chain.Then4(
		chain.Pure(strings.TrimSpace),
		chain.Pure(strings.Fields),
		chain.Pure(func(words []string) int { return len(words) }),
		chain.Pure(func(n int) string { return fmt.Sprintf("%d words", n) }),
	)
	out, _ := c.Run(context.Background(), " one two three ")
	fmt.Println(out)
	// Output: 3 words
}

func ExamplePipe() {
	clean := chain.Pipe(
		chain.Pure(strings.TrimSpace),
		chain.Pure(strings.ToLower),
		chain.Pure(func(s string) string { return strings.ReplaceAll(s, "  ", " ") }),
	)
	out, _ := clean.Run(context.Background(), "  Dear  Sir ")
	fmt.Printf("%q\n", out)
	// Output: "dear sir"
}

func ExampleNamed() {
	classify := chain.Named("classify", chain.Fn(func(ctx context.Context, text string) (string, error) {
		return "", fmt.Errorf("model down")
	}))
	analyse := chain.Named("analyse", chain.Then(chain.Pure(strings.TrimSpace), classify))
	_, err := analyse.Run(context.Background(), " text ")
	// The error names the stages it passed through; errors.As finds each.
	fmt.Println(err)
	fmt.Println(chain.Describe(classify).Name)
	// Output:
	// analyse: classify: model down
	// classify
}

// tokens streams its output word by word, as a chat model streams tokens.
type tokens struct{}

func (tokens) Run(ctx context.Context, in string) (string, error) { return in, nil }

func (tokens) StreamText(ctx context.Context, in string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for i, w := range strings.Fields(in) {
			if i > 0 {
				w = " " + w
			}
			if !yield(w, nil) {
				return
			}
		}
	}
}

func ExampleStreamText() {
	// The sequence streams because its last stage does.
	c := chain.Then(chain.Pure(strings.ToUpper), chain.Chain[string, string](tokens{}))
	for piece, err := range chain.StreamText(context.Background(), c, "hello streaming world") {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%q\n", piece)
	}
	// Output:
	// "HELLO"
	// " STREAMING"
	// " WORLD"
}
