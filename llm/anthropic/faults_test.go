package anthropic_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/internal/faultplan"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
)

// The fault-injection tests run many calls through the adapter with its
// default retry policy (two retries; only the backoff and the cap on
// retry-after are shortened, so that the tests are fast) against a server
// that fails about one request in five, following internal/faultplan's
// schedule, and check that every call gets its right answer.

// faultReply is the server's reply to the call asking key: a fault, or its
// answer.
func faultReply(t *testing.T, p *faultplan.Plan, key string, stream bool) anthropictest.Reply {
	_, kind, fault, err := p.Next(key)
	if err != nil {
		t.Error(err)
		return anthropictest.BadRequest("unexpected key")
	}
	if !fault {
		return anthropictest.Text("answer to " + key)
	}
	switch kind {
	case faultplan.RateLimited:
		return anthropictest.RateLimited(time.Second)
	case faultplan.ServerError:
		return anthropictest.ServerError()
	case faultplan.Overloaded:
		return anthropictest.Overloaded()
	case faultplan.Cut:
		return anthropictest.CutStream("") // before the first chunk of a stream
	}
	if stream {
		return anthropictest.RawResponse(200, "text/event-stream", "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"conte\n\n")
	}
	return anthropictest.RawResponse(200, "application/json", `{"id":"msg_1","type":"message","content":[{"type":"te`)
}

func newFaultModel(t *testing.T) (*anthropic.Model, *anthropictest.Server, *faultplan.Plan) {
	s := anthropictest.New(t)
	p := faultplan.New()
	s.SetDefault(anthropictest.Func(func(r *anthropictest.Request) anthropictest.Reply {
		return faultReply(t, p, r.LastUserMessage(), r.Stream())
	}))
	m, err := anthropic.New(modelName, anthropic.WithAPIKey(testKey), anthropic.WithBaseURL(s.URL()), anthropic.WithHTTPClient(s.HTTPClient()),
		anthropic.WithRetryBackoff(time.Millisecond, 5*time.Millisecond), anthropic.WithMaxRetryWait(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return m, s, p
}

func TestChatsAtOneFaultInFive(t *testing.T) {
	m, s, p := newFaultModel(t)
	const calls, workers = 400, 4
	failures := faultplan.Run(calls, workers, func(i int) error {
		q := fmt.Sprintf("q%d", i)
		resp, err := llm.Chat(context.Background(), m, user(q))
		if err != nil {
			return err
		}
		if resp.Text() != "answer to "+q {
			return fmt.Errorf("answer %q", resp.Text())
		}
		return nil
	})
	p.Check(t, failures, calls, len(s.Requests()))
}

func TestStreamsAtOneFaultInFive(t *testing.T) {
	m, s, p := newFaultModel(t)
	const calls, workers = 100, 4
	failures := faultplan.Run(calls, workers, func(i int) error {
		q := fmt.Sprintf("q%d", i)
		resp, err := llm.Collect(m.Stream(context.Background(), user(q)))
		if err != nil {
			return err
		}
		if resp.Text() != "answer to "+q {
			return fmt.Errorf("answer %q", resp.Text())
		}
		return nil
	})
	p.Check(t, failures, calls, len(s.Requests()))
}
