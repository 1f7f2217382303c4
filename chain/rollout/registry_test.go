package rollout_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/rollout"
)

// twice is what every version answers: its name, twice, read at the start
// and at the end of the call. A call that started on one version and
// finished on another would return two different names.
type twice struct{ First, Second string }

func versionChain(name string) chain.Chain[int, twice] {
	return chain.Fn(func(ctx context.Context, _ int) (twice, error) {
		first := name
		runtime.Gosched()
		return twice{First: first, Second: name}, nil
	})
}

func TestRegistryPromoteAndRollback(t *testing.T) {
	r := rollout.NewRegistry[int, twice]("classifier")
	ctx := context.Background()
	if _, err := r.Run(ctx, 0); !errors.Is(err, rollout.ErrNoVersion) {
		t.Fatalf("Run before a promotion: %v", err)
	}
	for _, v := range []string{"v1", "v2", "v3"} {
		if err := r.Register(v, versionChain(v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Register("v1", versionChain("again")); !errors.Is(err, rollout.ErrVersionExists) {
		t.Errorf("registering v1 twice: %v", err)
	}
	if err := r.Promote("v9"); !errors.Is(err, rollout.ErrUnknownVersion) {
		t.Errorf("promoting v9: %v", err)
	}
	if _, err := r.Rollback(); !errors.Is(err, rollout.ErrNoRollback) {
		t.Errorf("rollback with nothing promoted: %v", err)
	}
	current := func() string {
		out, err := r.Run(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return out.First
	}
	for _, v := range []string{"v1", "v2", "v3"} {
		if err := r.Promote(v); err != nil {
			t.Fatal(err)
		}
		if got := current(); got != v {
			t.Errorf("after promoting %s, Run answered from %s", v, got)
		}
	}
	if err := r.Promote("v3"); err != nil { // already current: nothing changes
		t.Fatal(err)
	}
	for _, want := range []string{"v2", "v1"} {
		got, err := r.Rollback()
		if err != nil || got != want || current() != want {
			t.Errorf("Rollback = %s, %v; Run answers from %s; want %s", got, err, current(), want)
		}
	}
	if _, err := r.Rollback(); !errors.Is(err, rollout.ErrNoRollback) {
		t.Errorf("rollback past the first promotion: %v", err)
	}
	if v, ok := r.Current(); v != "v1" || !ok {
		t.Errorf("Current = %s, %v", v, ok)
	}
	var actions []string
	for _, c := range r.History() {
		actions = append(actions, fmt.Sprintf("%s %s<-%s", c.Action, c.Version, c.Previous))
		if c.At.IsZero() {
			t.Error("change without a time")
		}
	}
	want := []string{"promote v1<-", "promote v2<-v1", "promote v3<-v2", "rollback v2<-v3", "rollback v1<-v2"}
	if !slices.Equal(actions, want) {
		t.Errorf("history = %q\nwant      %q", actions, want)
	}
	if !slices.Equal(r.Versions(), []string{"v1", "v2", "v3"}) {
		t.Errorf("versions = %v", r.Versions())
	}
	if c, ok := r.Version("v2"); !ok || c == nil {
		t.Error("Version(v2) not found")
	}
	if g := chain.Mermaid(r); !strings.Contains(g, "v1 (current)") {
		t.Errorf("graph:\n%s", g)
	}
	if err := r.Register("", versionChain("x")); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("empty version: %v", err)
	}
}

// Eight goroutines call Run without pause while the main goroutine
// promotes and rolls back 1000 times: every answer must come whole from
// one registered version.
func TestRegistryConcurrentSwitches(t *testing.T) {
	r := rollout.NewRegistry[int, twice]("model")
	versions := []string{"v1", "v2", "v3", "v4"}
	for _, v := range versions {
		if err := r.Register(v, versionChain(v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Promote("v1"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var (
		stop  atomic.Bool
		wg    sync.WaitGroup
		calls atomic.Int64
		seen  sync.Map
	)
	for range 8 {
		wg.Go(func() {
			for !stop.Load() {
				out, err := r.Run(ctx, 0)
				calls.Add(1)
				if err != nil {
					t.Error(err)
					continue
				}
				if out.First != out.Second || !slices.Contains(versions, out.First) {
					t.Errorf("half a switch: %+v", out)
				}
				seen.Store(out.First, true)
			}
		})
	}
	for i := range 1000 {
		// Let at least one call through between switches.
		for before := calls.Load(); calls.Load() == before; {
			runtime.Gosched()
		}
		if i%3 == 2 {
			if _, err := r.Rollback(); err != nil {
				t.Error(err)
			}
			continue
		}
		if err := r.Promote(versions[(i+1)%len(versions)]); err != nil {
			t.Error(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	n := 0
	seen.Range(func(_, _ any) bool { n++; return true })
	if n < 2 {
		t.Errorf("callers saw %d versions over the switches", n)
	}
	t.Logf("%d calls across %d switches; %d versions answered", calls.Load(), len(r.History()), n)
}
