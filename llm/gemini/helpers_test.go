package gemini_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/llm"
)

// ctxTimeout is a context that ends with the test or after d.
func ctxTimeout(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func user(text string) llm.Request { return llm.Request{Messages: []llm.Message{llm.User(text)}} }

// lastGenerate is the decoded body of the server's last generate request.
func lastGenerate(t *testing.T, s *geminitest.Server) (geminitest.Request, *geminitest.GenerateRequest) {
	t.Helper()
	r, ok := s.LastRequest()
	if !ok || r.Generate == nil {
		t.Fatalf("no generate request received (last: %+v)", r)
	}
	return r, r.Generate
}

// jsonEq reports whether two JSON texts hold the same value.
func jsonEq(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("got %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return string(gb) == string(wb)
}

// fakeClock is a chain.Clock whose sleeps return at once.
type fakeClock struct{}

func (fakeClock) Now() time.Time { return time.Now() }
func (fakeClock) After(time.Duration) <-chan time.Time {
	c := make(chan time.Time, 1)
	c <- time.Now()
	return c
}
