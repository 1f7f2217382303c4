package chain_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// A vote member's name is in its ballot's error and in the QuorumError,
// even when the member's own chain is an unnamed Retry.
func TestVoteMemberErrorsNameTheMember(t *testing.T) {
	clk := newFakeClock(true)
	flaky := chain.Retry(fail[string](retryableErr{}), chain.Attempts(3), chain.RetryClock(clk))
	v := chain.Vote(chain.Majority[string](), []chain.Voter[int, string]{
		chain.Member("mistral", flaky),
		chain.Member("llama", const_("x")),
	}, chain.Quorum(2))
	verdict, err := v.Run(context.Background(), 1)
	if !errors.Is(err, chain.ErrNoQuorum) {
		t.Fatalf("err = %v, want ErrNoQuorum", err)
	}
	const want = "1 of 2 members answered, quorum is 2; mistral: gave up after 3 attempts: transient"
	if err.Error() != want {
		t.Errorf("quorum error\n got %q\nwant %q", err.Error(), want)
	}
	b := verdict.Ballots[0]
	var se *chain.StageError
	var re *chain.RetryError
	if !errors.As(b.Err, &se) || se.Stage != "mistral" || !errors.As(b.Err, &re) || re.Attempts != 3 {
		t.Fatalf("ballot error %v (%T), want mistral's RetryError", b.Err, b.Err)
	}
	if b.Err.Error() != "mistral: gave up after 3 attempts: transient" {
		t.Errorf("ballot error %q", b.Err)
	}
}

// Messages read as English: no default kind posing as a name, no "chain:"
// stutter; a named stage prefixes its own name.
func TestErrorMessagesNameStages(t *testing.T) {
	ctx := context.Background()
	slow := block[int](nil)
	cases := []struct {
		name string
		c    chain.Chain[int, int]
		want string
	}{
		{"unnamed timeout", chain.Timeout(slow, 2*time.Millisecond), "timed out after 2ms"},
		{"named timeout", chain.Named("classify", chain.Timeout(slow, 2*time.Millisecond)), "classify: timed out after 2ms"},
		{"named retry", chain.Named("gpt", chain.Retry(fail[int](retryableErr{}), chain.Attempts(2), chain.RetryClock(newFakeClock(true)))), "gpt: gave up after 2 attempts: transient"},
		{"unnamed retry", chain.Retry(fail[int](retryableErr{}), chain.Attempts(2), chain.RetryClock(newFakeClock(true))), "gave up after 2 attempts: transient"},
		{"named fallback", chain.Named("answer", chain.Fallback(chain.Named("gpt", fail[int](errDown)), fail[int](errors.New("no rule")))), "answer: all 2 alternatives failed: gpt: model down; #1: no rule"},
		{"parallel", chain.Then(chain.Parallel([]chain.Chain[int, int]{add(1), chain.Named("ocr", fail[int](errDown))}), chain.Pure(func(xs []int) int { return xs[0] })), "branch 1: ocr: model down"},
		{"nested stages", chain.Named("analyse", chain.Then(add(1), chain.Named("classify", fail[int](errDown)))), "analyse: classify: model down"},
	}
	for _, tc := range cases {
		_, err := tc.c.Run(ctx, 1)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// An error passed through a named stage (a non-retryable error through a
// Retry) names the stage, and errors.Is and errors.As still find it.
func TestPassThroughErrorsNameTheStage(t *testing.T) {
	type outputError struct{ error }
	cause := &outputError{errors.New("invalid JSON")}
	c := chain.Named("extract", chain.Retry(fail[int](cause)))
	_, err := c.Run(context.Background(), 1)
	var se *chain.StageError
	var oe *outputError
	if !errors.As(err, &se) || se.Stage != "extract" || !errors.As(err, &oe) || oe != cause {
		t.Fatalf("err = %v (%T)", err, err)
	}
	if err.Error() != "extract: invalid JSON" {
		t.Errorf("message %q", err)
	}
	// Not wrapped twice for the same name.
	twice := chain.Named("extract", chain.Fn(func(ctx context.Context, x int) (int, error) {
		return c.Run(ctx, x)
	}))
	if _, err := twice.Run(context.Background(), 1); err.Error() != "extract: invalid JSON" {
		t.Errorf("wrapped twice: %q", err)
	}
	// Success allocates no StageError and returns the value.
	if out, err := chain.Named("ok", add(1)).Run(context.Background(), 1); out != 2 || err != nil {
		t.Fatalf("ok: %d %v", out, err)
	}
}

// The caller's cancellation through a named stage still matches
// context.Canceled.
func TestStageErrorKeepsCancellation(t *testing.T) {
	started := make(chan struct{}, 1)
	c := chain.Named("slow", chain.Retry(block[int](started)))
	cancelAfterStart(t, func(ctx context.Context) (int, error) { return c.Run(ctx, 1) }, started, 1)
}

// Wrapping a named stage in unnamed combinators changes neither its hook
// path nor where the wrappers' events are reported.
func TestPathsDoNotDependOnWrapping(t *testing.T) {
	clk := newFakeClock(true)
	var calls int
	flaky := chain.Fn(func(ctx context.Context, x int) (int, error) {
		if calls++; calls == 1 {
			return 0, retryableErr{}
		}
		return x, nil
	})
	rewrite := chain.Named("rewrite", flaky)
	plain := chain.Named("ticket", chain.Then(add(1), rewrite))
	wrapped := chain.Then(add(0), chain.Named("ticket", chain.Then(add(1),
		chain.Timeout(chain.Retry(rewrite, chain.RetryClock(clk)), time.Minute))))

	paths := func(c chain.Chain[int, int], flakes bool) (starts []string, events []string) {
		calls = 1
		if flakes {
			calls = 0
		}
		rec := &recorder{}
		ctx := chain.WithHooks(context.Background(), rec.hook())
		if _, err := c.Run(ctx, 1); err != nil {
			t.Fatal(err)
		}
		for _, e := range rec.events {
			events = append(events, e.Name+string(e.Kind))
		}
		return rec.starts, events
	}
	plainStarts, _ := paths(plain, false)
	starts, _ := paths(wrapped, false)
	if want := "ticket,ticket/rewrite"; strings.Join(plainStarts, ",") != want || strings.Join(starts, ",") != want {
		t.Errorf("starts %v and wrapped %v, want %s for both", plainStarts, starts, want)
	}
	// The unnamed Retry's event is reported on the nearest named node.
	starts, events := paths(wrapped, true)
	if want := "ticket,ticket/rewrite,ticket/rewrite"; strings.Join(starts, ",") != want {
		t.Errorf("starts %v, want %s", starts, want)
	}
	if strings.Join(events, ",") != "ticket:retry" {
		t.Errorf("events %v, want the retry on ticket", events)
	}
}

// brokenStream streams one piece, then fails.
type brokenStream struct{}

func (brokenStream) Run(ctx context.Context, s string) (string, error) { return "", errDown }

func (brokenStream) StreamText(ctx context.Context, s string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if yield("partial", nil) {
			yield("", errDown)
		}
	}
}

// A named stage's stream error names it too, with or without hooks.
func TestStreamErrorsNameTheStage(t *testing.T) {
	c := chain.Named("answer", chain.Then(chain.Pure(strings.TrimSpace), chain.Chain[string, string](brokenStream{})))
	for _, ctx := range []context.Context{context.Background(), chain.WithHooks(context.Background(), chain.HookFuncs{})} {
		var pieces []string
		var err error
		for p, e := range chain.StreamText(ctx, c, " q ") {
			if e != nil {
				err = e
				break
			}
			pieces = append(pieces, p)
		}
		var se *chain.StageError
		if len(pieces) != 1 || !errors.Is(err, errDown) || !errors.As(err, &se) || err.Error() != "answer: model down" {
			t.Fatalf("pieces %q, err %v", pieces, err)
		}
	}
}
