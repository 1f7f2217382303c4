package llm_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/schema"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

func TestStructuredReplies(t *testing.T) {
	badType := strings.Replace(validInvoice, `"total":7.5`, `"total":"7.5"`, 1)
	tests := []struct {
		name     string
		replies  []llmtest.Reply
		opts     []llm.StructuredOption
		want     invoice
		requests int
		// wantErr checks the error; nil means success is expected.
		wantErr func(t *testing.T, err error)
		// check looks at the requests the model got.
		check func(t *testing.T, reqs []llm.Request)
	}{
		{
			name:     "valid reply",
			replies:  []llmtest.Reply{llmtest.Text(validInvoice)},
			want:     wantInvoice,
			requests: 1,
			check: func(t *testing.T, reqs []llm.Request) {
				f := reqs[0].Format
				if f == nil || f.Type != llm.FormatJSONSchema || !f.Strict || f.Name != "Invoice" {
					t.Errorf("Format = %+v", f)
				}
				checkStrict(t, f.Schema)
			},
		},
		{
			name:     "fenced reply",
			replies:  []llmtest.Reply{llmtest.Text("```json\n" + validInvoice + "\n```")},
			want:     wantInvoice,
			requests: 1,
		},
		{
			name:     "invalid then valid",
			replies:  []llmtest.Reply{llmtest.Text(badType), llmtest.Text(validInvoice)},
			want:     wantInvoice,
			requests: 2,
			check: func(t *testing.T, reqs []llm.Request) {
				msgs := reqs[1].Messages
				if len(msgs) != len(reqs[0].Messages)+2 {
					t.Fatalf("re-ask has %d messages, first ask %d", len(msgs), len(reqs[0].Messages))
				}
				bad, ask := msgs[len(msgs)-2], msgs[len(msgs)-1]
				if bad.Role != llm.RoleAssistant || bad.Text() != badType {
					t.Errorf("re-ask does not carry the bad reply: %+v", bad)
				}
				if ask.Role != llm.RoleUser || !strings.Contains(ask.Text(), "at '/total': got string, want number") {
					t.Errorf("re-ask does not carry the validation error: %q", ask.Text())
				}
				if reqs[1].Format == nil || !reqs[1].Format.Strict {
					t.Errorf("re-ask lost the format")
				}
			},
		},
		{
			name:     "invalid JSON then valid",
			replies:  []llmtest.Reply{llmtest.Text(`{"number": "A-17",`), llmtest.Text(validInvoice)},
			want:     wantInvoice,
			requests: 2,
			check: func(t *testing.T, reqs []llm.Request) {
				if !strings.Contains(lastUser(reqs[1]), "not valid JSON") {
					t.Errorf("re-ask: %q", lastUser(reqs[1]))
				}
			},
		},
		{
			name:     "empty reply is re-asked without an empty assistant message",
			replies:  []llmtest.Reply{llmtest.Text(""), llmtest.Text(validInvoice)},
			want:     wantInvoice,
			requests: 2,
			check: func(t *testing.T, reqs []llm.Request) {
				msgs := reqs[1].Messages
				if len(msgs) != len(reqs[0].Messages)+1 || !strings.Contains(lastUser(reqs[1]), "empty") {
					t.Errorf("re-ask messages: %+v", msgs)
				}
			},
		},
		{
			name:     "always invalid",
			replies:  []llmtest.Reply{llmtest.Text("no"), llmtest.Text(`{"number":1}`), llmtest.Text(badType)},
			requests: 3,
			wantErr: func(t *testing.T, err error) {
				var oe *llm.OutputError
				if !errors.As(err, &oe) || !errors.Is(err, llm.ErrInvalidOutput) {
					t.Fatalf("err = %v, want an *OutputError", err)
				}
				if oe.Raw != badType || oe.Attempts != 3 || !strings.Contains(oe.Error(), "want number") {
					t.Errorf("OutputError = %+v", oe)
				}
				// The schema's error is inside: serve and other callers
				// that know only chain/schema recognise it.
				var ie *schema.InvalidError
				if !errors.Is(err, schema.ErrInvalid) || !errors.As(err, &ie) || ie.Raw != badType {
					t.Errorf("err = %v, want it to wrap a *schema.InvalidError of the last reply", err)
				}
			},
			check: func(t *testing.T, reqs []llm.Request) {
				if n := len(reqs[2].Messages); n != len(reqs[0].Messages)+4 {
					t.Errorf("third ask has %d messages", n)
				}
			},
		},
		{
			name:     "no repairs",
			replies:  []llmtest.Reply{llmtest.Text(badType), llmtest.Text(validInvoice)},
			opts:     []llm.StructuredOption{llm.WithRepairs(0)},
			requests: 1,
			wantErr: func(t *testing.T, err error) {
				var oe *llm.OutputError
				if !errors.As(err, &oe) || oe.Attempts != 1 {
					t.Fatalf("err = %v", err)
				}
			},
		},
		{
			name:     "cut by the token limit",
			replies:  []llmtest.Reply{llmtest.Text(validInvoice[:40]).WithFinishReason("length")},
			opts:     []llm.StructuredOption{llm.WithRepairs(0)},
			requests: 1,
			wantErr: func(t *testing.T, err error) {
				if !errors.Is(err, llm.ErrInvalidOutput) || !strings.Contains(err.Error(), "token limit") {
					t.Fatalf("err = %v", err)
				}
			},
		},
		{
			name:     "provider error is returned, not re-asked",
			replies:  []llmtest.Reply{llmtest.Error(llmtest.StatusError(429)), llmtest.Text(validInvoice)},
			requests: 1,
			wantErr: func(t *testing.T, err error) {
				var pe *llm.Error
				if !errors.As(err, &pe) || pe.StatusCode != 429 || !chain.IsRetryable(err) {
					t.Fatalf("err = %v, want the 429 *llm.Error", err)
				}
				if errors.Is(err, llm.ErrInvalidOutput) {
					t.Error("a provider error counts as invalid output")
				}
			},
		},
		{
			name:     "provider error after a repair",
			replies:  []llmtest.Reply{llmtest.Text("nope"), llmtest.Error(llmtest.StatusError(500))},
			requests: 2,
			wantErr: func(t *testing.T, err error) {
				if !errors.Is(err, llm.ErrServer) {
					t.Fatalf("err = %v", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := llmtest.NewModel("m", tt.replies...)
			c, err := llm.NewStructured[string, invoice](m, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Run(context.Background(), "Invoice A-17 from ACME: 3 bolts at 2.50, total 7.50")
			if tt.wantErr != nil {
				tt.wantErr(t, err)
			} else if err != nil {
				t.Fatal(err)
			} else if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			reqs := m.Requests()
			if len(reqs) != tt.requests {
				t.Fatalf("model got %d requests, want %d", len(reqs), tt.requests)
			}
			for i, r := range reqs {
				if err := r.Validate(); err != nil {
					t.Errorf("request %d: %v", i, err)
				}
			}
			if tt.check != nil {
				tt.check(t, reqs)
			}
		})
	}
}

func TestStructuredCancellation(t *testing.T) {
	t.Run("while the model works", func(t *testing.T) {
		m := llmtest.NewModel("m", llmtest.Hang())
		c := llm.Structured[string, invoice](m)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Run(ctx, "text")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("returned after %v", d)
		}
	})
	t.Run("before the call", func(t *testing.T) {
		m := llmtest.NewModel("m", llmtest.Text(validInvoice))
		c := llm.Structured[string, invoice](m)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := c.Run(ctx, "text"); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		if len(m.Requests()) != 0 {
			t.Error("the model was asked")
		}
	})
	t.Run("between repairs", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		m := llmtest.NewModel("m", llmtest.Func(func(context.Context, llm.Request) (llm.Response, error) {
			cancel()
			return llm.Response{Message: llm.Assistant("not json")}, nil
		}), llmtest.Text(validInvoice))
		c := llm.Structured[string, invoice](m)
		if _, err := c.Run(ctx, "text"); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		if n := len(m.Requests()); n != 1 {
			t.Errorf("model asked %d times after cancellation", n)
		}
	})
}

func TestStructuredPrompt(t *testing.T) {
	type query struct {
		Text string `json:"text"`
		Lang string `json:"lang"`
	}
	t.Run("default renders JSON after the instruction", func(t *testing.T) {
		m := llmtest.NewModel("m", llmtest.Text(validInvoice))
		c := llm.Structured[query, invoice](m, llm.WithSystem("You read invoices."))
		if _, err := c.Run(context.Background(), query{Text: "bolts", Lang: "en"}); err != nil {
			t.Fatal(err)
		}
		req := m.Requests()[0]
		if len(req.Messages) != 2 || req.Messages[0].Role != llm.RoleSystem {
			t.Fatalf("messages %+v", req.Messages)
		}
		sys := req.Messages[0].Text()
		if !strings.HasPrefix(sys, "You read invoices.\n\n") || !strings.Contains(sys, "JSON object") {
			t.Errorf("system message %q", sys)
		}
		if got := req.Messages[1].Text(); got != "{\n  \"text\": \"bolts\",\n  \"lang\": \"en\"\n}" {
			t.Errorf("user message %q", got)
		}
	})
	t.Run("template", func(t *testing.T) {
		m := llmtest.NewModel("m", llmtest.Text(validInvoice))
		c := llm.Structured[query, invoice](m, llm.WithPrompt("Read this {{.Lang}} invoice:\n{{.Text}}"), llm.WithInstruction(""))
		if _, err := c.Run(context.Background(), query{Text: "bolts", Lang: "en"}); err != nil {
			t.Fatal(err)
		}
		req := m.Requests()[0]
		if len(req.Messages) != 1 || req.Messages[0].Text() != "Read this en invoice:\nbolts" {
			t.Errorf("messages %+v", req.Messages)
		}
	})
	t.Run("schema in prompt, options, schema name", func(t *testing.T) {
		m := llmtest.NewModel("m", llmtest.Text(validInvoice))
		temp := 0.0
		c := llm.Structured[string, invoice](m, llm.WithSchemaInPrompt(), llm.WithOptions(llm.Options{Temperature: &temp, MaxTokens: 500}), llm.WithSchemaName("Invoice_v2"))
		if _, err := c.Run(context.Background(), "text"); err != nil {
			t.Fatal(err)
		}
		req := m.Requests()[0]
		if !strings.Contains(req.Messages[0].Text(), `"unit_price"`) {
			t.Errorf("schema not in the system message: %q", req.Messages[0].Text())
		}
		if req.Temperature == nil || *req.Temperature != 0 || req.MaxTokens != 500 || req.Format.Name != "Invoice_v2" {
			t.Errorf("request %+v", req)
		}
	})
	t.Run("empty input", func(t *testing.T) {
		m := llmtest.NewModel("m", llmtest.Text(validInvoice))
		c := llm.Structured[string, invoice](m)
		if _, err := c.Run(context.Background(), ""); !errors.Is(err, llm.ErrInvalidRequest) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("template error at run time", func(t *testing.T) {
		m := llmtest.NewModel("m", llmtest.Text(validInvoice))
		c := llm.Structured[[]string, invoice](m, llm.WithPrompt("{{index . 3}}"))
		if _, err := c.Run(context.Background(), []string{"a"}); !errors.Is(err, llm.ErrInvalidRequest) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestStructuredConstructionErrors(t *testing.T) {
	m := llmtest.NewModel("m")
	tests := []struct {
		name  string
		build func() error
		is    error
	}{
		{"nil model", func() error { _, err := llm.NewStructured[string, invoice](nil); return err }, llm.ErrNilModel},
		{"typed nil model", func() error { _, err := llm.NewStructured[string, invoice]((*llmtest.Model)(nil)); return err }, llm.ErrNilModel},
		{"func output", func() error { _, err := llm.NewStructured[string, func()](m); return err }, llm.ErrUnsupportedType},
		{"interface output", func() error { _, err := llm.NewExtractor[any](m); return err }, llm.ErrUnsupportedType},
		{"chan output", func() error { _, err := llm.NewExtractor[chan int](m); return err }, schema.ErrUnsupportedType},
		{"map with int keys", func() error { _, err := llm.NewExtractor[map[int]string](m); return err }, llm.ErrUnsupportedType},
		{"negative repairs", func() error { _, err := llm.NewStructured[string, invoice](m, llm.WithRepairs(-1)); return err }, chain.ErrConfig},
		{"bad schema name", func() error { _, err := llm.NewStructured[string, invoice](m, llm.WithSchemaName("a b")); return err }, chain.ErrConfig},
		{"bad template", func() error { _, err := llm.NewStructured[string, invoice](m, llm.WithPrompt("{{.")); return err }, chain.ErrConfig},
		{"template field missing", func() error {
			_, err := llm.NewStructured[invoice, invoice](m, llm.WithPrompt("{{.Nmber}}"))
			return err
		}, chain.ErrConfig},
		{"nil template", func() error { _, err := llm.NewStructured[string, invoice](m, llm.WithTemplate(nil)); return err }, chain.ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.build()
			if !errors.Is(err, tt.is) || !errors.Is(err, chain.ErrConfig) {
				t.Fatalf("err = %v, want %v and chain.ErrConfig", err, tt.is)
			}
			t.Log(err)
		})
	}
	t.Run("panicking form", func(t *testing.T) {
		defer func() {
			err, _ := recover().(error)
			if !errors.Is(err, llm.ErrNilModel) {
				t.Fatalf("recovered %v", err)
			}
		}()
		llm.Structured[string, invoice](nil)
	})
}

func TestStructuredHooksAndGraph(t *testing.T) {
	m := llmtest.NewModel("gpt", llmtest.Text("no").WithUsage(10, 1), llmtest.Text(validInvoice).WithUsage(20, 30))
	c := llm.Extractor[invoice](m)
	var rec recorder
	if _, err := c.Run(rec.ctx(), "text"); err != nil {
		t.Fatal(err)
	}
	if n, in, out := rec.count(chain.EventTokens); n != 2 || in != 30 || out != 31 {
		t.Errorf("token events: %d, %d in, %d out", n, in, out)
	}
	if n, _, _ := rec.count(chain.EventRetry); n != 1 {
		t.Errorf("%d repair events", n)
	}
	node := chain.Describe(c)
	if node.Kind != chain.KindModel || node.Name != "extract:Invoice" || len(node.Children) != 1 || node.Children[0].Name != "llmtest:gpt" {
		t.Errorf("node %+v", node)
	}
	if g := chain.Mermaid(chain.Then(c, chain.Pure(func(i invoice) float64 { return i.Total }))); !strings.Contains(g, "extract:Invoice") || !strings.Contains(g, "llmtest:gpt") {
		t.Errorf("graph:\n%s", g)
	}
}

func TestStructuredConcurrent(t *testing.T) {
	m := llmtest.NewModel("m").WithDefault(llmtest.Text(validInvoice))
	c := llm.Extractor[invoice](m)
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.Run(context.Background(), "text")
			if err != nil || got.Number != "A-17" {
				t.Errorf("%+v, %v", got, err)
			}
		}()
	}
	wg.Wait()
}

func TestStructuredInRetryAndFallback(t *testing.T) {
	// A 503 is retried by chain.Retry; invalid output is not retryable, so
	// Fallback takes over.
	flaky := llmtest.NewModel("flaky", llmtest.Error(llmtest.StatusError(503)), llmtest.Text(validInvoice))
	c := chain.Retry(llm.Extractor[invoice](flaky), chain.Backoff(time.Millisecond, time.Millisecond))
	if got, err := c.Run(context.Background(), "text"); err != nil || got.Number != "A-17" {
		t.Fatalf("retry: %+v, %v", got, err)
	}
	bad := llmtest.NewModel("bad").WithDefault(llmtest.Text("garbage"))
	good := llmtest.NewModel("good", llmtest.Text(validInvoice))
	f := chain.Fallback(chain.Retry(llm.Extractor[invoice](bad, llm.WithRepairs(1))), llm.Extractor[invoice](good))
	if got, err := f.Run(context.Background(), "text"); err != nil || got.Number != "A-17" {
		t.Fatalf("fallback: %+v, %v", got, err)
	}
	if n := len(bad.Requests()); n != 2 {
		t.Errorf("invalid output was retried: %d requests", n)
	}
}

// panicky is a model that panics: the adapter must not.
type panicky struct{}

func (panicky) Chat(context.Context, llm.Request) (llm.Response, error) { panic("boom") }

func TestStructuredRecoversModelPanic(t *testing.T) {
	c := llm.Extractor[invoice](panicky{})
	if _, err := c.Run(context.Background(), "text"); !errors.Is(err, chain.ErrPanic) {
		t.Fatalf("err = %v", err)
	}
	if n := chain.Describe(c); len(n.Children) != 0 {
		t.Errorf("a model that is not a Describer got a child node: %+v", n)
	}
}
