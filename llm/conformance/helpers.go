package conformance

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/llm"
)

// arrivalTimeout bounds how long a check waits for a request to reach the
// server before it gives up.
const arrivalTimeout = 5 * time.Second

// waitFor polls cond until it holds or timeout passes, and reports
// whether it held.
func waitFor(cond func() bool, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

// ask is a request of one user message.
func ask(text string) llm.Request {
	return llm.Request{Messages: []llm.Message{llm.User(text)}}
}

// checkCancelled runs call in a goroutine under a context it cancels once
// arrived reports that the request reached the server (or, with a nil
// arrived, at once after starting it), then checks that call returns
// within the bound with an error matching context.Canceled, and that no
// goroutine started since is left.
func checkCancelled(t *testing.T, cfg config, arrived func() bool, call func(ctx context.Context) error) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- call(ctx) }()
	if arrived != nil && !waitFor(arrived, arrivalTimeout) {
		t.Errorf("the request did not reach the server within %v", arrivalTimeout)
	}
	start := time.Now()
	cancel()
	err := waitDone(t, done, cfg.cancelWithin, "cancelling its context")
	if err == nil {
		t.Fatal("the call returned no error after its context was cancelled")
	}
	t.Logf("returned %v after cancel: %v", time.Since(start).Round(time.Millisecond), err)
	if !matches(err, context.Canceled) {
		t.Errorf("error %q does not match context.Canceled (errors.Is)", err)
	}
	goleak.VerifyNone(t, ignore)
}

// waitDone waits up to bound for the call's result; it fails the test if
// the call is still running then.
func waitDone(t *testing.T, done <-chan error, bound time.Duration, after string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(bound):
		t.Fatalf("the call was still running %v after %s: it does not honour its context", bound, after)
		return nil
	}
}

// matches reports whether err is not nil and matches target (errors.Is).
func matches(err, target error) bool { return err != nil && errors.Is(err, target) }

// looseContains reports whether text contains want, any run of white
// space in either matching any other.
func looseContains(text, want string) bool {
	return strings.Contains(strings.Join(strings.Fields(text), " "), strings.Join(strings.Fields(want), " "))
}

// idleConnections ignores the goroutines of idle keep-alive HTTP
// connections, client side (a persistConn waiting for its next response,
// and its writer) and server side (a conn waiting for its next request):
// a stream that had been read to its end before the loop broke may return
// its connection to the pool, which is no leak. A response body left open
// keeps its persistConn's reader elsewhere, and is still reported.
var idleConnections = []goleak.Option{
	goleak.IgnoreAnyFunction("bufio.(*Reader).Peek"),
	goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
}
