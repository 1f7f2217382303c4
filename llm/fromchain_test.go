package llm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

// TestFromChainRetriesTheModelCall: a model made of a retried ChatChain
// answers after a 503, through every way of calling a model, and each call
// reports one token event named after the model (the answered attempt's),
// not a second one for the wrapper.
func TestFromChainRetriesTheModelCall(t *testing.T) {
	ask := llm.Request{Messages: []llm.Message{llm.User("one two three")}}
	for _, tc := range []struct {
		name string
		call func(ctx context.Context, m llm.ChatModel) (string, error)
	}{
		{"Chat", func(ctx context.Context, m llm.ChatModel) (string, error) {
			r, err := llm.Chat(ctx, m, ask)
			return r.Text(), err
		}},
		{"Stream", func(ctx context.Context, m llm.ChatModel) (string, error) {
			r, err := llm.Collect(llm.Stream(ctx, m, ask))
			return r.Text(), err
		}},
		{"ChatChain", func(ctx context.Context, m llm.ChatModel) (string, error) {
			r, err := llm.ChatChain(m).Run(ctx, ask)
			return r.Text(), err
		}},
		{"Prompt", func(ctx context.Context, m llm.ChatModel) (string, error) {
			return llm.Prompt(m, "").Run(ctx, "one two three")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			base := llmtest.NewModel("gpt", llmtest.Error(llmtest.StatusError(503)), llmtest.Text("four five"))
			m := llm.FromChain(chain.Retry(llm.ChatChain(base), chain.Backoff(time.Millisecond, time.Millisecond)))
			got, err := tc.call(rec.ctx(), m)
			if err != nil || got != "four five" {
				t.Fatalf("got %q, %v; want the answer after a retry", got, err)
			}
			if n := len(base.Requests()); n != 2 {
				t.Errorf("the model was asked %d times, want 2", n)
			}
			ev := tokenEvents(&rec)
			if len(ev) != 1 || ev[0].Name != "llmtest:gpt" || ev[0].InputTokens != 3 || ev[0].OutputTokens != 2 {
				t.Errorf("token events %+v, want one of llmtest:gpt with 3 in and 2 out", ev)
			}
		})
	}
}

func TestFromChainGivesUpOnAFailureThatIsNotRetryable(t *testing.T) {
	base := llmtest.NewModel("gpt", llmtest.Error(llmtest.StatusError(400)), llmtest.Text("never"))
	m := llm.FromChain(chain.Retry(llm.ChatChain(base), chain.Backoff(time.Millisecond, time.Millisecond)))
	_, err := llm.Chat(context.Background(), m, llm.Request{Messages: []llm.Message{llm.User("hi")}})
	var pe *llm.Error
	if !errors.As(err, &pe) || pe.StatusCode != 400 {
		t.Fatalf("error %v, want the model's 400", err)
	}
	if n := len(base.Requests()); n != 1 {
		t.Errorf("the model was asked %d times, want 1", n)
	}
}

// TestChatChainOfFromChain: the round trip gives back the chain, not a
// chain around a model around the chain.
func TestChatChainOfFromChain(t *testing.T) {
	c := chain.Retry(llm.ChatChain(llmtest.NewModel("gpt")))
	if got := llm.ChatChain(llm.FromChain(c)); got != c {
		t.Errorf("ChatChain(FromChain(c)) = %T, want c itself", got)
	}
}

func TestFromChainDescribesTheChain(t *testing.T) {
	c := chain.Named("safe gpt", chain.Retry(llm.ChatChain(llmtest.NewModel("gpt"))))
	n := chain.Describe(llm.FromChain(c))
	if n.Kind != chain.KindRetry || n.Name != "safe gpt" || len(n.Children) != 1 || n.Children[0].Name != "llmtest:gpt" {
		t.Errorf("node %+v, want the retry named %q over llmtest:gpt", n, "safe gpt")
	}
	if _, ok := llm.FromChain(c).(llm.Streamer); ok {
		t.Error("a model made of a chain claims to stream")
	}
}

func TestFromChainNil(t *testing.T) {
	var typedNil *struct {
		chain.Chain[llm.Request, llm.Response]
	}
	for name, c := range map[string]chain.Chain[llm.Request, llm.Response]{"nil": nil, "typed nil": typedNil} {
		func() {
			defer func() {
				if err, ok := recover().(error); !ok || !errors.Is(err, llm.ErrNilModel) || !errors.Is(err, chain.ErrConfig) {
					t.Errorf("%s: panic %v, want an error matching ErrNilModel and chain.ErrConfig", name, err)
				}
			}()
			llm.FromChain(c)
		}()
	}
}
