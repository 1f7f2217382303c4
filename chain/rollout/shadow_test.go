package rollout_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/rollout"
)

// never is how long a test waits for something that must happen before it
// gives up and fails, rather than hanging. It is not a timing assertion.
const never = 10 * time.Second

func TestShadowReturnsAtChampionSpeed(t *testing.T) {
	release := make(chan struct{})
	challengerStarted := make(chan struct{})
	var challengerCtxErr error
	champion := chain.Pure(func(s string) string { return "champion:" + s })
	challenger := chain.Fn(func(ctx context.Context, s string) (string, error) {
		close(challengerStarted)
		<-release // blocks until the test lets it go
		challengerCtxErr = ctx.Err()
		return "challenger:" + s, nil
	})
	recorded := make(chan rollout.ShadowResult[string, string], 1)
	s := rollout.MustShadow(champion, chain.Chain[string, string](challenger), func(r rollout.ShadowResult[string, string]) { recorded <- r })
	defer s.Close()

	ctx, cancel := context.WithCancel(context.Background())
	returned := make(chan string)
	go func() {
		out, _ := s.Run(ctx, "x")
		returned <- out
	}()
	// Run returns while the challenger is still blocked: had it waited for
	// the challenger, it could never return before release is closed.
	select {
	case out := <-returned:
		if out != "champion:x" {
			t.Errorf("Run = %q, want the champion's answer", out)
		}
	case <-time.After(never):
		t.Fatal("Run waited for the challenger")
	}
	<-challengerStarted
	cancel() // the caller is gone; the challenger must not see it
	select {
	case <-recorded:
		t.Fatal("recorded before the challenger finished")
	default:
	}
	close(release)
	r := <-recorded
	if r.Input != "x" || r.Champion.Output != "champion:x" || r.Challenger.Output != "challenger:x" {
		t.Errorf("recorded %+v", r)
	}
	s.Wait()
	if challengerCtxErr != nil {
		t.Errorf("the challenger saw the caller's cancellation: %v", challengerCtxErr)
	}
	if s.Started() != 1 || s.Recorded() != 1 || s.Dropped() != 0 {
		t.Errorf("stats: %s", counts(s))
	}
}

func TestShadowDropsWhenSaturated(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	challenger := chain.Fn(func(ctx context.Context, n int) (int, error) {
		started <- struct{}{}
		<-release
		return n, nil
	})
	var mu sync.Mutex
	var recorded []int
	s := rollout.MustShadow(chain.Pure(func(n int) int { return n }), chain.Chain[int, int](challenger), func(r rollout.ShadowResult[int, int]) {
		mu.Lock()
		recorded = append(recorded, r.Input)
		mu.Unlock()
	}, rollout.ShadowLimit(2))
	for i := range 5 {
		if out, err := s.Run(context.Background(), i); out != i || err != nil {
			t.Fatalf("Run(%d) = %d, %v", i, out, err)
		}
	}
	<-started
	<-started
	if s.Started() != 2 || s.Dropped() != 3 {
		t.Errorf("stats: %s, want 2 started and 3 dropped", counts(s))
	}
	close(release)
	s.Close()
	if len(recorded) != 2 {
		t.Errorf("recorded %v", recorded)
	}
	// Closed: the champion still answers, no challenger starts.
	if out, _ := s.Run(context.Background(), 9); out != 9 {
		t.Errorf("after Close Run = %d", out)
	}
	if s.Started() != 2 || s.Dropped() != 4 {
		t.Errorf("after Close stats: %s", counts(s))
	}
}

func TestShadowChallengerTimeout(t *testing.T) {
	challenger := chain.Fn(func(ctx context.Context, n int) (int, error) {
		<-ctx.Done() // a hung model: only its own deadline ends it
		return 0, ctx.Err()
	})
	got := make(chan rollout.ShadowResult[int, int], 1)
	s := rollout.MustShadow(chain.Pure(func(n int) int { return n }), chain.Chain[int, int](challenger),
		func(r rollout.ShadowResult[int, int]) { got <- r }, rollout.ShadowTimeout(time.Millisecond))
	if out, _ := s.Run(context.Background(), 1); out != 1 {
		t.Fatalf("Run = %d", out)
	}
	s.Close()
	r := <-got
	if !errors.Is(r.Challenger.Err, context.DeadlineExceeded) {
		t.Errorf("challenger error = %v, want its own deadline", r.Challenger.Err)
	}
}

func TestShadowSurvivesPanics(t *testing.T) {
	boom := chain.Fn(func(ctx context.Context, n int) (int, error) { panic("challenger bug") })
	s := rollout.MustShadow(chain.Pure(func(n int) int { return n }), chain.Chain[int, int](boom), func(r rollout.ShadowResult[int, int]) {
		if !errors.Is(r.Challenger.Err, chain.ErrPanic) {
			t.Errorf("challenger error = %v", r.Challenger.Err)
		}
		panic("record bug")
	})
	if out, err := s.Run(context.Background(), 3); out != 3 || err != nil {
		t.Errorf("Run = %d, %v", out, err)
	}
	s.Close()
	if s.Recorded() != 0 || s.Started() != 1 {
		t.Errorf("stats: %s", counts(s))
	}
}

func TestShadowDescribe(t *testing.T) {
	s := rollout.MustShadow(chain.Named("v1", chain.Pure(strings.ToUpper)), chain.Named("v2", chain.Pure(strings.ToLower)), func(rollout.ShadowResult[string, string]) {})
	defer s.Close()
	m := chain.Mermaid(s)
	for _, want := range []string{"shadow: parallel", "v1", "v2", "|shadow|"} {
		if !strings.Contains(m, want) {
			t.Errorf("graph lacks %q:\n%s", want, m)
		}
	}
}

// counts describes a shadow's counters, for test failures.
func counts[In, Out any](s *rollout.Shadow[In, Out]) string {
	return fmt.Sprintf("started %d, dropped %d, recorded %d", s.Started(), s.Dropped(), s.Recorded())
}
