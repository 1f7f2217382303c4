package chain_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
)

func TestDescribe(t *testing.T) {
	vote := chain.Named("species", chain.Vote(chain.Majority[string](), []chain.Voter[int, string]{
		chain.Member("a", const_("x")), chain.Member("b", const_("y")).Weight(2),
	}, chain.Quorum(1)))
	c := chain.Named("pipeline", chain.Then(chain.Named("detect", add(1)), chain.Retry(chain.Winner(vote), chain.Attempts(4))))
	n := chain.Describe(c)
	if n.Kind != chain.KindSequence || n.Name != "pipeline" || len(n.Children) != 2 {
		t.Fatalf("root %+v", n)
	}
	r := n.Children[1]
	if r.Kind != chain.KindRetry || r.Detail != "4 attempts" || r.Children[0].Kind != chain.KindVote {
		t.Fatalf("retry %+v", r)
	}
	v := r.Children[0]
	if v.Name != "species" || len(v.Children) != 2 || v.Labels[1] != "w=2" || v.Children[1].Name != "b" {
		t.Fatalf("vote %+v", v)
	}
	c2 := chain.Named("custom", chain.Chain[int, int](checker{}))
	if _, ok := chain.Describe(c2).Chain.(interface{ Check(context.Context) error }); !ok {
		t.Fatal("Named hides the wrapped chain's Check method")
	}
	b := chain.Breaker(add(1))
	if chain.Describe(chain.Named("guard", b)).Chain.(interface{ State() chain.BreakerState }).State() != chain.Closed {
		t.Fatal("breaker node does not expose its state")
	}
}

func TestDOT(t *testing.T) {
	c := chain.Then(
		chain.Named(`say "hi"`, add(1)),
		chain.Timeout(chain.Route(chain.RouterFunc[int, int](func(ctx context.Context, x int) (int, error) { return x % 2, nil }),
			map[int]chain.Chain[int, int]{0: chain.Named("even", add(1)), 1: chain.Named("odd", add(2))}), time.Second),
	)
	dot := chain.DOT(c)
	for _, want := range []string{
		"digraph chain {",
		`[label="say \"hi\"", shape=box]`,
		`label="timeout (1s)";`,
		`shape=diamond`,
		`[label="0"]`,
		`[label="1"]`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %q:\n%s", want, dot)
		}
	}
	if strings.Count(dot, "{") != strings.Count(dot, "}") {
		t.Fatalf("unbalanced braces:\n%s", dot)
	}
	m := chain.Mermaid(c)
	if !strings.Contains(m, "say #quot;hi#quot;") || strings.Count(m, "subgraph") != strings.Count(m, "end\n") {
		t.Fatalf("mermaid:\n%s", m)
	}
}

func TestFallbackGraphDashed(t *testing.T) {
	m := chain.Mermaid(chain.Fallback(chain.Named("gpt", add(1)), chain.Named("rule", add(2))))
	if !strings.Contains(m, "-.->|fallback 1|") || !strings.Contains(m, "-->|primary|") {
		t.Fatalf("mermaid:\n%s", m)
	}
}

type checker struct{}

func (checker) Run(ctx context.Context, x int) (int, error) { return x, nil }
func (checker) Check(context.Context) error                 { return nil }
