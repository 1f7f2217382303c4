package conformance

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// callTimeout bounds every call a check makes, so that a broken adapter
// fails the check instead of hanging the test binary.
const callTimeout = 10 * time.Second

// TestChatModel checks a chat model adapter: description, plain and
// streamed calls, request validation, typed errors, cancellation,
// structured output and concurrent use (see the package documentation).
// newHarness is called once per check, with the check's own *testing.T,
// and must return a harness with an empty script; register the cleanup of
// its server with t.Cleanup.
//
// Each behaviour is a subtest: run one with go test -run
// 'TestX/Errors/429'. Run the tests with -race.
func TestChatModel(t *testing.T, newHarness func(t *testing.T) ChatHarness, opts ...Option) {
	t.Helper()
	if newHarness == nil {
		t.Fatal("conformance.TestChatModel: nil harness constructor")
	}
	c := &chatChecks{cfg: newConfig(opts), newHarness: newHarness}
	t.Run("Describe", c.describe)
	t.Run("Chat", c.chat)
	t.Run("Stream", c.stream)
	t.Run("Validation", c.validation)
	t.Run("Errors", c.errors)
	t.Run("Cancel", c.cancel)
	t.Run("StructuredOutput", c.structured)
	t.Run("Concurrent", c.concurrent)
}

type chatChecks struct {
	cfg        config
	newHarness func(t *testing.T) ChatHarness
}

// setup makes the check's harness and model.
func (c *chatChecks) setup(t *testing.T) (ChatHarness, llm.ChatModel) {
	t.Helper()
	h := c.newHarness(t)
	if h == nil {
		t.Fatal("the harness constructor returned nil")
	}
	m := h.Model()
	if m == nil {
		t.Fatal("the harness returned a nil model")
	}
	return h, m
}

// streamer returns the model's llm.Streamer, skipping the test when it is
// none.
func streamer(t *testing.T, m llm.ChatModel) llm.Streamer {
	t.Helper()
	s, ok := m.(llm.Streamer)
	if !ok {
		t.Skipf("%T is not an llm.Streamer", m)
	}
	return s
}

func callContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	t.Cleanup(cancel)
	return ctx
}

func (c *chatChecks) describe(t *testing.T) {
	_, m := c.setup(t)
	checkDescribe(t, m, chain.KindModel)
}

// checkDescribe checks that v is a chain.Describer whose node has a name
// and, when kind is not empty, that kind.
func checkDescribe(t *testing.T, v any, kind chain.Kind) {
	t.Helper()
	if _, ok := v.(chain.Describer); !ok {
		t.Fatalf("%T does not implement chain.Describer: it will show in inference graphs as a bare Go type", v)
	}
	n := chain.Describe(v)
	if n.Name == "" {
		t.Errorf("Describe() = %+v: the node has no name (want \"provider:model\")", n)
	}
	if kind != "" && n.Kind != kind {
		t.Errorf("Describe() kind = %q, want %q", n.Kind, kind)
	}
	t.Logf("node %q (%s) %s", n.Name, n.Kind, n.Detail)
}

func (c *chatChecks) chat(t *testing.T) {
	h, m := c.setup(t)
	const prompt, answer = "Which tall grey bird stands still in shallow water?", "A grey heron."
	h.ScriptText(answer)
	resp, err := m.Chat(callContext(t), ask(prompt))
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	if got := resp.Text(); got != answer {
		t.Errorf("Chat answered %q, the server said %q", got, answer)
	}
	if resp.Message.Role != llm.RoleAssistant {
		t.Errorf("answer role %q, want %q", resp.Message.Role, llm.RoleAssistant)
	}
	reqs := h.Requests()
	if len(reqs) != 1 {
		t.Fatalf("the server received %d requests for one call, want 1", len(reqs))
	}
	if reqs[0].Prompt != prompt {
		t.Errorf("the server received the prompt %q, want %q", reqs[0].Prompt, prompt)
	}
	if reqs[0].Schema != nil {
		t.Errorf("a request without a format reached the server with the schema %s", reqs[0].Schema)
	}
}

func (c *chatChecks) stream(t *testing.T) {
	t.Run("matches_chat", func(t *testing.T) {
		h, m := c.setup(t)
		s := streamer(t, m)
		const answer = "The barn owl hunts at night, listening for mice in the long grass."
		h.ScriptText(answer)
		h.ScriptText(answer)
		ctx := callContext(t)
		plain, err := m.Chat(ctx, ask("Tell me about owls."))
		if err != nil {
			t.Fatalf("Chat: %v", err)
		}
		var (
			text   string
			chunks int
			final  *llm.Chunk
		)
		for ch, err := range s.Stream(ctx, ask("Tell me about owls.")) {
			if err != nil {
				t.Fatalf("Stream failed after %d chunks: %v", chunks, err)
			}
			if final != nil {
				t.Fatalf("Stream yielded a chunk after the Done chunk: %+v", ch)
			}
			chunks++
			text += ch.Text
			if ch.Done {
				final = &ch
			}
		}
		if final == nil {
			t.Fatal("Stream ended without a Done chunk")
		}
		if text != plain.Text() || text != answer {
			t.Errorf("streamed text %q, Chat's %q, the server said %q", text, plain.Text(), answer)
		}
		if final.FinishReason != plain.FinishReason {
			t.Errorf("streamed finish reason %q, Chat's %q", final.FinishReason, plain.FinishReason)
		}
		t.Logf("%d chunks", chunks)
		if n := len(h.Requests()); n != 2 {
			t.Errorf("the server received %d requests for two calls", n)
		}
	})
	t.Run("stop_early", func(t *testing.T) {
		h, m := c.setup(t)
		s := streamer(t, m)
		h.ScriptText("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen.")
		ignore := goleak.IgnoreCurrent()
		n := 0
		for _, err := range s.Stream(callContext(t), ask("Count to fifteen.")) {
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			n++
			break
		}
		if n != 1 {
			t.Fatalf("Stream yielded %d chunks before the loop broke, want 1", n)
		}
		goleak.VerifyNone(t, append(idleConnections, ignore)...)
	})
}

func (c *chatChecks) validation(t *testing.T) {
	bmp := llm.Image{MIMEType: "image/bmp", Data: []byte("BM not really a bitmap")}
	cases := []struct {
		name string
		req  llm.Request
		want error
	}{
		{"no_messages", llm.Request{}, llm.ErrNoMessages},
		{"unknown_role", llm.Request{Messages: []llm.Message{{Role: "narrator", Parts: []llm.Part{llm.Text("Once upon a time")}}}}, llm.ErrUnknownRole},
		{"empty_message", llm.Request{Messages: []llm.Message{{Role: llm.RoleUser}}}, llm.ErrInvalidRequest},
		{"unsupported_image", llm.Request{Messages: []llm.Message{llm.User("What animal is this?", bmp)}}, llm.ErrUnsupportedImage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, m := c.setup(t)
			h.ScriptText("this reply must not be used")
			_, err := m.Chat(callContext(t), tc.req)
			if !matches(err, tc.want) {
				t.Errorf("Chat error = %v, want one matching %v (errors.Is)", err, tc.want)
			}
			if s, ok := m.(llm.Streamer); ok {
				_, err := llm.Collect(s.Stream(callContext(t), tc.req))
				if !matches(err, tc.want) {
					t.Errorf("Stream error = %v, want one matching %v (errors.Is)", err, tc.want)
				}
			}
			if n := len(h.Requests()); n != 0 {
				t.Errorf("the invalid request reached the server (%d requests): adapters must call llm.Request.Validate before sending", n)
			}
		})
	}
}

func (c *chatChecks) concurrent(t *testing.T) {
	h, m := c.setup(t)
	n := c.cfg.concurrency
	s, streams := m.(llm.Streamer)
	answers := make([]string, n)
	for i := range answers {
		answers[i] = fmt.Sprintf("answer number %d", i)
		h.ScriptText(answers[i])
	}
	got := make([]string, n)
	errs := make([]error, n)
	ctx := callContext(t)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := ask(fmt.Sprintf("question number %d", i))
			var resp llm.Response
			if streams && i%2 == 1 {
				resp, errs[i] = llm.Collect(s.Stream(ctx, req))
			} else {
				resp, errs[i] = m.Chat(ctx, req)
			}
			got[i] = resp.Text()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	slices.Sort(got)
	want := slices.Clone(answers)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%d concurrent calls got the answers %q, want each of %q once", n, got, want)
	}
	var prompts []string
	for _, r := range h.Requests() {
		prompts = append(prompts, r.Prompt)
	}
	slices.Sort(prompts)
	var asked []string
	for i := range n {
		asked = append(asked, fmt.Sprintf("question number %d", i))
	}
	slices.Sort(asked)
	if !slices.Equal(prompts, asked) {
		t.Errorf("the server received the prompts %q, want each of %q once", prompts, asked)
	}
}
