package llm_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

func TestRequestValidate(t *testing.T) {
	png := llm.Image{MIMEType: "image/png", Data: []byte{0x89, 'P', 'N', 'G'}}
	cases := []struct {
		name string
		req  llm.Request
		want error
	}{
		{"ok", llm.Request{Messages: []llm.Message{llm.System("be brief"), llm.User("hi", png)}}, nil},
		{"no messages", llm.Request{}, llm.ErrNoMessages},
		{"unknown role", llm.Request{Messages: []llm.Message{{Role: "wizard", Parts: []llm.Part{llm.Text("x")}}}}, llm.ErrUnknownRole},
		{"empty message", llm.Request{Messages: []llm.Message{{Role: llm.RoleUser}}}, llm.ErrInvalidRequest},
		{"tiff image", llm.Request{Messages: []llm.Message{llm.User("read", llm.Image{MIMEType: "image/tiff", Data: []byte{1}})}}, llm.ErrUnsupportedImage},
		{"empty image", llm.Request{Messages: []llm.Message{llm.User("read", llm.Image{MIMEType: "image/png"})}}, llm.ErrUnsupportedImage},
		{"image from assistant", llm.Request{Messages: []llm.Message{{Role: llm.RoleAssistant, Parts: []llm.Part{{Image: &png}}}}}, llm.ErrInvalidRequest},
		{"tool result without call", llm.Request{Messages: []llm.Message{{Role: llm.RoleTool, Parts: []llm.Part{llm.Text("42")}}}}, llm.ErrInvalidRequest},
		{"tool without name", llm.Request{Messages: []llm.Message{llm.User("x")}, Tools: []llm.Tool{{}}}, llm.ErrInvalidRequest},
		{"tool bad schema", llm.Request{Messages: []llm.Message{llm.User("x")}, Tools: []llm.Tool{{Name: "t", Parameters: []byte("{")}}}, llm.ErrInvalidRequest},
		{"bad format schema", llm.Request{Messages: []llm.Message{llm.User("x")}, Format: &llm.Format{Type: llm.FormatJSONSchema, Schema: []byte("nope")}}, llm.ErrInvalidRequest},
	}
	for _, tc := range cases {
		err := tc.req.Validate()
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestErrorClassification(t *testing.T) {
	cases := []struct {
		status    int
		sentinel  error
		retryable bool
	}{
		{400, llm.ErrBadRequest, false},
		{401, llm.ErrAuth, false},
		{403, llm.ErrAuth, false},
		{404, llm.ErrModelNotFound, false},
		{422, llm.ErrBadRequest, false},
		{429, llm.ErrRateLimited, true},
		{500, llm.ErrServer, true},
		{501, llm.ErrServer, false},
		{503, llm.ErrServer, true},
	}
	for _, tc := range cases {
		e := &llm.Error{Provider: "p", Model: "m", StatusCode: tc.status, Temporary: llm.TemporaryStatus(tc.status), Wait: time.Second}
		wrapped := fmt.Errorf("calling: %w", e)
		if !errors.Is(wrapped, tc.sentinel) {
			t.Errorf("%d: not %v", tc.status, tc.sentinel)
		}
		if chain.IsRetryable(wrapped) != tc.retryable {
			t.Errorf("%d: retryable = %v", tc.status, !tc.retryable)
		}
		if d, ok := chain.RetryAfter(wrapped); !ok || d != time.Second {
			t.Errorf("%d: RetryAfter = %v %v", tc.status, d, ok)
		}
	}
	if got := (&llm.Error{Provider: "openai", Model: "gpt", StatusCode: 429, Code: "rate_limit", Message: "slow down"}).Error(); got != "openai gpt: HTTP 429 (rate_limit): slow down" {
		t.Errorf("Error() = %q", got)
	}
}

func TestStreamFallbackAndCollect(t *testing.T) {
	// A model that is not a Streamer streams as one final chunk.
	var plain llm.ChatModel = chatOnly{llmtest.NewModel("m", llmtest.Text("hello world").WithUsage(3, 2))}
	resp, err := llm.Collect(llm.Stream(context.Background(), plain, llm.Request{Messages: []llm.Message{llm.User("hi")}}))
	if err != nil || resp.Text() != "hello world" || resp.Usage.Total() != 5 {
		t.Fatalf("collect %+v %v", resp, err)
	}
	// A stream cut before Done is ErrIncompleteStream.
	m := llmtest.NewModel("m", llmtest.Cut("hel"))
	if _, err := llm.Collect(llm.Stream(context.Background(), m, llm.Request{Messages: []llm.Message{llm.User("hi")}})); !errors.Is(err, llm.ErrIncompleteStream) {
		t.Fatalf("cut: %v", err)
	}
	// A streamed answer equals the plain one.
	m = llmtest.NewModel("m", llmtest.Text("one two three"), llmtest.Text("one two three"))
	req := llm.Request{Messages: []llm.Message{llm.User("count")}}
	whole, _ := m.Chat(context.Background(), req)
	streamed, err := llm.Collect(m.Stream(context.Background(), req))
	if err != nil || streamed.Text() != whole.Text() {
		t.Fatalf("streamed %q vs %q (%v)", streamed.Text(), whole.Text(), err)
	}
}

type chatOnly struct{ m llm.ChatModel }

func (c chatOnly) Chat(ctx context.Context, r llm.Request) (llm.Response, error) {
	return c.m.Chat(ctx, r)
}

func TestChatChainReportsTokens(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Text("ok").WithUsage(7, 1))
	var mu sync.Mutex
	var tokens int
	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		mu.Lock()
		tokens += e.InputTokens + e.OutputTokens
		mu.Unlock()
	}})
	out, err := chain.Named("ask", llm.Prompt(m, "be brief")).Run(ctx, "hi")
	if err != nil || out != "ok" || tokens != 8 {
		t.Fatalf("out %q err %v tokens %d", out, err, tokens)
	}
	reqs := m.Requests()
	if len(reqs) != 1 || reqs[0].Messages[0].Role != llm.RoleSystem {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestEmbedChainBatchesConcurrentCalls(t *testing.T) {
	e := llmtest.NewEmbedder(8)
	c := llm.EmbedChain(e, chain.MaxSize(100), chain.MaxWait(5*time.Millisecond))
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for i := range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text := fmt.Sprintf("text %d", i)
			v, err := c.Run(context.Background(), text)
			if err != nil {
				errs <- err
				return
			}
			want := llmtest.HashVector(text, 8)
			for j := range v {
				if v[j] != want[j] {
					errs <- fmt.Errorf("%s: wrong vector", text)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	calls, texts := e.Calls()
	if texts != 1000 || calls > 100 {
		t.Fatalf("%d texts in %d calls", texts, calls)
	}
	t.Logf("1000 concurrent embeds in %d calls", calls)
}

func TestNilModelsPanicWithErrNilModel(t *testing.T) {
	for name, f := range map[string]func(){
		"ChatChain":  func() { llm.ChatChain(nil) },
		"Prompt":     func() { llm.Prompt(nil, "") },
		"EmbedChain": func() { llm.EmbedChain(nil) },
		"OCRChain":   func() { llm.OCRChain(nil) },
		"OCRResult":  func() { llm.OCRResultChain(nil) },
	} {
		func() {
			defer func() {
				if err, ok := recover().(error); !ok || !errors.Is(err, llm.ErrNilModel) || !errors.Is(err, chain.ErrConfig) {
					t.Errorf("%s: panic %v", name, err)
				}
			}()
			f()
		}()
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		ms, after string
		want      time.Duration
	}{
		{"", "", 0},
		{"", "3", 3 * time.Second},
		{"", "1.5", 1500 * time.Millisecond},
		{"", "0", 0},
		{"", "-1", 0},
		{"", "soon", 0},
		{"", "Wed, 01 Jan 2025 12:00:30 GMT", 30 * time.Second},
		{"", "Wed, 01 Jan 2025 11:00:00 GMT", 0},
		{"250", "3", 250 * time.Millisecond},
		{"junk", "2", 2 * time.Second},
	}
	for _, tc := range cases {
		h := http.Header{}
		if tc.ms != "" {
			h.Set("Retry-After-Ms", tc.ms)
		}
		if tc.after != "" {
			h.Set("Retry-After", tc.after)
		}
		if got := llm.RetryAfterHeader(h, now); got != tc.want {
			t.Errorf("retry-after-ms %q, Retry-After %q: %v, want %v", tc.ms, tc.after, got, tc.want)
		}
	}
}

func TestIsNetworkError(t *testing.T) {
	for err, want := range map[error]bool{
		io.ErrUnexpectedEOF:                                 true,
		fmt.Errorf("read: %w", syscall.ECONNRESET):          true,
		&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}: true,
		errors.New("bad request"):                           false,
		context.Canceled:                                    false,
	} {
		if got := llm.IsNetworkError(err); got != want {
			t.Errorf("IsNetworkError(%v) = %v", err, got)
		}
	}
}

// fakeOCR reads every image as the same result.
type fakeOCR struct{ result llm.OCRResult }

func (f fakeOCR) Recognize(ctx context.Context, _ llm.Image) (llm.OCRResult, error) {
	return f.result, ctx.Err()
}

func (fakeOCR) Describe() chain.Node { return chain.Node{Kind: "ocr", Name: "fake:eng"} }

// OCRChain keeps the text; OCRResultChain the whole result. Both draw as
// the engine.
func TestOCRChains(t *testing.T) {
	ocr := fakeOCR{llm.OCRResult{Text: "Dear Ms Smith,", Confidence: 0.93, Words: []llm.Word{{Text: "Dear", Confidence: 0.9}}}}
	img := llm.Image{MIMEType: "image/png", Data: []byte{0x89, 'P', 'N', 'G'}}
	text, err := llm.OCRChain(ocr).Run(context.Background(), img)
	if err != nil || text != "Dear Ms Smith," {
		t.Errorf("OCRChain: %q, %v", text, err)
	}
	r, err := llm.OCRResultChain(ocr).Run(context.Background(), img)
	if err != nil || r.Text != "Dear Ms Smith," || r.Confidence != 0.93 || len(r.Words) != 1 {
		t.Errorf("OCRResultChain: %+v, %v", r, err)
	}
	for name, c := range map[string]any{"OCRChain": llm.OCRChain(ocr), "OCRResultChain": llm.OCRResultChain(ocr)} {
		if n := chain.Describe(c); n.Kind != "ocr" || n.Name != "fake:eng" {
			t.Errorf("%s draws as %+v, want the engine", name, n)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := llm.OCRResultChain(ocr).Run(ctx, img); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
