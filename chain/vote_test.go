package chain_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/chorus-go/chorus/chain"
)

func members[O any](answers ...chain.Chain[int, O]) []chain.Voter[int, O] {
	names := []string{"a", "b", "c", "d", "e"}
	var vs []chain.Voter[int, O]
	for i, c := range answers {
		vs = append(vs, chain.Member(names[i], c))
	}
	return vs
}

func TestVoteAggregators(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name      string
		agg       chain.Aggregator[string]
		voters    []chain.Voter[int, string]
		want      string
		agreement float64
	}{
		{"majority", chain.Majority[string](), members(const_("x"), const_("y"), const_("x")), "x", 2.0 / 3},
		{"majority tie goes to first given", chain.Majority[string](), members(const_("y"), const_("x"), const_("x"), const_("y")), "y", 0.5},
		{"majority ignores weights", chain.Majority[string](), []chain.Voter[int, string]{
			chain.Member("a", const_("x")).Weight(10), chain.Member("b", const_("y")), chain.Member("c", const_("y")),
		}, "y", 2.0 / 3},
		{"weighted", chain.Weighted[string](), []chain.Voter[int, string]{
			chain.Member("a", const_("x")).Weight(3), chain.Member("b", const_("y")), chain.Member("c", const_("y")),
		}, "x", 0.6},
		{"weighted tie goes to first given", chain.Weighted[string](), []chain.Voter[int, string]{
			chain.Member("a", const_("y")).Weight(2), chain.Member("b", const_("x")).Weight(2),
		}, "y", 0.5},
		{"failed member skipped", chain.Majority[string](), members(fail[string](boom), const_("y"), const_("x"), const_("x")), "x", 2.0 / 3},
		{"custom", chain.AggregatorFunc[string](func(bs []chain.Ballot[string]) (string, float64, error) {
			return bs[len(bs)-1].Answer, 1, nil
		}), members(const_("x"), const_("z")), "z", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := chain.Vote(tc.agg, tc.voters).Run(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			if v.Answer != tc.want || math.Abs(v.Agreement-tc.agreement) > 1e-9 {
				t.Fatalf("answer %q agreement %v; want %q %v", v.Answer, v.Agreement, tc.want, tc.agreement)
			}
			if len(v.Ballots) != len(tc.voters) {
				t.Fatalf("%d ballots", len(v.Ballots))
			}
		})
	}
}

func TestVoteBallots(t *testing.T) {
	boom := errors.New("boom")
	vs := []chain.Voter[int, string]{
		chain.Member("gpt", const_("x")).Weight(2),
		chain.Member("llama", fail[string](boom)),
		chain.Member("bayes", const_("x")),
	}
	v, err := chain.Vote(chain.Weighted[string](), vs, chain.Quorum(2)).Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	b := v.Ballots
	if b[0].Name != "gpt" || b[0].Weight != 2 || b[0].Answer != "x" || b[0].Err != nil {
		t.Fatalf("ballot 0 = %+v", b[0])
	}
	if b[1].Name != "llama" || !errors.Is(b[1].Err, boom) {
		t.Fatalf("ballot 1 = %+v", b[1])
	}
	if v.Agreement != 1 {
		t.Fatalf("agreement %v", v.Agreement)
	}
	for _, x := range b {
		if x.Latency <= 0 && x.Err == nil {
			t.Fatalf("no latency on %+v", x)
		}
	}
}

func TestVoteLostQuorum(t *testing.T) {
	boom := errors.New("boom")
	c := chain.Vote(chain.Majority[string](), members(const_("x"), fail[string](boom), fail[string](boom)), chain.Quorum(2))
	v, err := c.Run(context.Background(), 1)
	var qe *chain.QuorumError[string]
	if !errors.Is(err, chain.ErrNoQuorum) || !errors.As(err, &qe) || qe.Need != 2 || qe.Got != 1 {
		t.Fatalf("err = %v", err)
	}
	if len(v.Ballots) != 3 || !errors.Is(v.Ballots[1].Err, boom) {
		t.Fatalf("verdict %+v", v)
	}
}

func TestVoteWeightedMean(t *testing.T) {
	vs := []chain.Voter[int, float64]{
		chain.Member("a", const_(10.0)).Weight(3),
		chain.Member("b", const_(20.0)),
		chain.Member("c", fail[float64](errors.New("down"))),
	}
	v, err := chain.Vote(chain.WeightedMean[float64](), vs).Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	// mean = (30+20)/4 = 12.5; var = (3*2.5² + 7.5²)/4 = 18.75; s = 4.330
	if math.Abs(v.Answer-12.5) > 1e-9 || math.Abs(v.Agreement-(1-math.Sqrt(18.75)/12.5)) > 1e-9 {
		t.Fatalf("answer %v agreement %v", v.Answer, v.Agreement)
	}
	iv, _ := chain.Vote(chain.WeightedMean[int](), []chain.Voter[int, int]{chain.Member("a", const_(4)), chain.Member("b", const_(4))}).Run(context.Background(), 1)
	if iv.Answer != 4 || iv.Agreement != 1 {
		t.Fatalf("int mean %+v", iv)
	}
}

func TestVoteCancel(t *testing.T) {
	started := make(chan struct{}, 3)
	c := chain.Vote(chain.Majority[int](), members(block[int](started), block[int](started), block[int](started)))
	cancelAfterStart(t, func(ctx context.Context) (chain.Verdict[int], error) { return c.Run(ctx, 1) }, started, 3)
}

func TestVotePanickingMember(t *testing.T) {
	p := chain.Fn(func(ctx context.Context, _ int) (string, error) { panic("member") })
	v, err := chain.Vote(chain.Majority[string](), members(p, const_("x"))).Run(context.Background(), 1)
	if err != nil || v.Answer != "x" || !errors.Is(v.Ballots[0].Err, chain.ErrPanic) {
		t.Fatalf("verdict %+v err %v", v, err)
	}
}

func TestAnswer(t *testing.T) {
	a := chain.Winner(chain.Vote(chain.Majority[string](), members(const_("x"))))
	if got, err := a.Run(context.Background(), 1); got != "x" || err != nil {
		t.Fatal(got, err)
	}
}
