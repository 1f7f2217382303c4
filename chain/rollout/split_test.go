package rollout_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/rollout"
)

type request struct {
	ID   string
	Text string
}

func answer(name string) chain.Chain[request, string] {
	return chain.Pure(func(request) string { return name })
}

func TestSplitByKeyIsSticky(t *testing.T) {
	s := rollout.MustSplit([]rollout.SplitArm[request, string]{
		rollout.Arm("champion", answer("champion"), 90),
		rollout.Arm("challenger", answer("challenger"), 10),
	}, rollout.SplitKey(func(r request) string { return r.ID }))
	ctx := context.Background()
	arms := map[string]string{}
	for i := range 2000 {
		id := fmt.Sprintf("user-%d", i%500)
		out, err := s.Run(ctx, request{ID: id, Text: fmt.Sprint(i)})
		if err != nil {
			t.Fatal(err)
		}
		if prev, ok := arms[id]; ok && prev != out {
			t.Fatalf("%s went to %s, then to %s", id, prev, out)
		}
		arms[id] = out
	}
	// 500 keys at 10%: 50 expected; a binomial sd of 6.7 makes 25..75 a
	// 3.7-sigma band.
	n := 0
	for _, a := range arms {
		if a == "challenger" {
			n++
		}
	}
	if n < 25 || n > 75 {
		t.Errorf("%d of 500 keys on the challenger, want about 50", n)
	}
	c := s.Counts()
	if c["champion"]+c["challenger"] != 2000 {
		t.Errorf("counts = %v", c)
	}
}

func TestSplitSeededIsReproducible(t *testing.T) {
	run := func(seed uint64) []int {
		s := rollout.MustSplit([]rollout.SplitArm[request, string]{
			rollout.Arm("a", answer("a"), 1),
			rollout.Arm("never", answer("never"), 0),
			rollout.Arm("b", answer("b"), 3),
		}, rollout.SplitSeed[request](seed))
		var picks []int
		for range 4000 {
			picks = append(picks, s.Pick(request{}))
		}
		return picks
	}
	a, b := run(7), run(7)
	counts := [3]int{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different pick at %d", i)
		}
		counts[a[i]]++
	}
	if counts[1] != 0 {
		t.Errorf("the zero-weight arm got %d inputs", counts[1])
	}
	// 1:3 split of 4000: 1000 expected, sd 27.4.
	if counts[0] < 900 || counts[0] > 1100 {
		t.Errorf("arm a got %d of 4000, want about 1000", counts[0])
	}
}

func TestSplitReportsArmToHooks(t *testing.T) {
	var routes []string
	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(ctx context.Context, n chain.NodeInfo, e chain.Event) {
		if e.Kind == chain.EventRoute {
			routes = append(routes, e.Name)
		}
	}})
	s := rollout.MustSplit([]rollout.SplitArm[request, string]{rollout.Arm("only", answer("only"), 1)})
	if _, err := s.Run(ctx, request{}); err != nil {
		t.Fatal(err)
	}
	if len(routes) != 1 || routes[0] != "only" {
		t.Errorf("route events = %v", routes)
	}
	if g := chain.Mermaid(s); !strings.Contains(g, "|100%|") {
		t.Errorf("graph:\n%s", g)
	}
}
