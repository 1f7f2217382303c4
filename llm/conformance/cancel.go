package conformance

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/llm"
)

func (c *chatChecks) cancel(t *testing.T) {
	t.Run("while_waiting", func(t *testing.T) {
		h, m := c.setup(t)
		h.ScriptHang()
		checkCancelled(t, c.cfg, func() bool { return len(h.Requests()) > 0 }, func(ctx context.Context) error {
			_, err := m.Chat(ctx, ask("Will this answer ever come?"))
			return err
		})
	})
	t.Run("stream_while_waiting", func(t *testing.T) {
		h, m := c.setup(t)
		s := streamer(t, m)
		h.ScriptHang()
		checkCancelled(t, c.cfg, func() bool { return len(h.Requests()) > 0 }, func(ctx context.Context) error {
			_, err := llm.Collect(s.Stream(ctx, ask("Will this answer ever come?")))
			return err
		})
	})
	t.Run("deadline", func(t *testing.T) {
		h, m := c.setup(t)
		h.ScriptHang()
		checkDeadline(t, c.cfg, func(ctx context.Context) error {
			_, err := m.Chat(ctx, ask("Will this answer ever come?"))
			return err
		})
	})
	t.Run("already_cancelled", func(t *testing.T) {
		h, m := c.setup(t)
		h.ScriptText("too late")
		checkCancelled(t, c.cfg, nil, func(ctx context.Context) error {
			<-ctx.Done()
			_, err := m.Chat(ctx, ask("Anyone there?"))
			return err
		})
	})
}

// deadlineAfter is the deadline the deadline checks set.
const deadlineAfter = 50 * time.Millisecond

// checkDeadline runs call under a context that expires, and checks that
// it returns within the bound with an error matching
// context.DeadlineExceeded, leaving no goroutine behind.
func checkDeadline(t *testing.T, cfg config, call func(ctx context.Context) error) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	ctx, cancel := context.WithTimeout(context.Background(), deadlineAfter)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- call(ctx) }()
	err := waitDone(t, done, deadlineAfter+cfg.cancelWithin, "its deadline passed")
	if !matches(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not match context.DeadlineExceeded (errors.Is): chain.Timeout relies on it", err)
	}
	goleak.VerifyNone(t, ignore)
}
