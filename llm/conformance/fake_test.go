package conformance_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/conformance"
)

// fakeServer is a small HTTP chat server for the kit's own tests:
// POST / {"prompt", "schema"} answers {"text"} or, with ?stream=1, one
// line per word and then "[done]"; failures are {"error": ...}.
type fakeServer struct {
	srv  *httptest.Server
	done chan struct{}

	mu       sync.Mutex
	script   []fakeReply
	requests []conformance.Request
}

type fakeReply struct {
	text       string
	status     int
	message    string
	retryAfter time.Duration
	hang       bool
}

type fakeBody struct {
	Prompt string          `json:"prompt"`
	Schema json.RawMessage `json:"schema,omitempty"`
}

func newFakeServer(t *testing.T) *fakeServer {
	s := &fakeServer{done: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		close(s.done)
		s.srv.Close()
	})
	return s
}

func (s *fakeServer) push(r fakeReply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, r)
}

func (s *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	var body fakeBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, `{"error":"bad body"}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, conformance.Request{Prompt: body.Prompt, Schema: body.Schema})
	reply := fakeReply{text: "nothing scripted"}
	if len(s.script) > 0 {
		reply, s.script = s.script[0], s.script[1:]
	}
	s.mu.Unlock()
	switch {
	case reply.hang:
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	case reply.status != 0:
		if reply.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(reply.retryAfter.Seconds())))
		}
		w.WriteHeader(reply.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": reply.message})
		return
	case r.URL.Query().Get("stream") == "":
		_ = json.NewEncoder(w).Encode(map[string]string{"text": reply.text})
		return
	}
	rc := http.NewResponseController(w)
	for _, word := range strings.SplitAfter(reply.text, " ") {
		if _, err := fmt.Fprintf(w, "%s\n", strconv.Quote(word)); err != nil {
			return
		}
		_ = rc.Flush()
		time.Sleep(time.Millisecond)
	}
	fmt.Fprintln(w, "[done]")
}

// fakeModel is the adapter of fakeServer, broken on purpose as mode says:
// "ignores_cancel", "untyped_errors", "no_validation", "leaky_stream"; ""
// is a correct adapter.
type fakeModel struct {
	url  string
	hc   *http.Client
	mode string
}

func (m *fakeModel) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "fake:model"}
}

func (m *fakeModel) send(ctx context.Context, req llm.Request, stream bool) (*http.Response, error) {
	if m.mode != "no_validation" {
		if err := req.Validate(); err != nil {
			return nil, err
		}
	}
	var body fakeBody
	for _, msg := range req.Messages {
		if msg.Role == llm.RoleUser {
			body.Prompt = msg.Text()
		}
	}
	if req.Format != nil && req.Format.Type == llm.FormatJSONSchema {
		body.Schema = req.Format.Schema
	}
	b, _ := json.Marshal(body)
	url := m.url
	if stream {
		url += "?stream=1"
	}
	sendCtx := ctx
	if m.mode == "ignores_cancel" {
		sendCtx = context.Background()
	}
	hreq, err := http.NewRequestWithContext(sendCtx, http.MethodPost, url, strings.NewReader(string(b)))
	if err != nil {
		return nil, err
	}
	resp, err := m.hc.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("fake: %w", ctx.Err())
		}
		return nil, &llm.Error{Provider: "fake", Temporary: true, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		var e struct{ Error string }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		if m.mode == "untyped_errors" {
			return nil, fmt.Errorf("fake: HTTP %d: %s", resp.StatusCode, e.Error)
		}
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return nil, &llm.Error{Provider: "fake", StatusCode: resp.StatusCode, Message: e.Error,
			Temporary: llm.TemporaryStatus(resp.StatusCode), Wait: time.Duration(secs) * time.Second}
	}
	return resp, nil
}

func (m *fakeModel) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	resp, err := m.send(ctx, req, false)
	if err != nil {
		return llm.Response{}, err
	}
	defer resp.Body.Close()
	var out struct{ Text string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		if ctx.Err() != nil {
			return llm.Response{}, ctx.Err()
		}
		return llm.Response{}, &llm.Error{Provider: "fake", Message: "unreadable answer", Err: err}
	}
	return llm.Response{Message: llm.Assistant(out.Text), FinishReason: "stop"}, nil
}

func (m *fakeModel) Stream(ctx context.Context, req llm.Request) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		resp, err := m.send(ctx, req, true)
		if err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		closeBody := true
		defer func() {
			if closeBody {
				resp.Body.Close()
			}
		}()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if sc.Text() == "[done]" {
				yield(llm.Chunk{Done: true, FinishReason: "stop"}, nil)
				return
			}
			word, err := strconv.Unquote(sc.Text())
			if err != nil {
				yield(llm.Chunk{}, &llm.Error{Provider: "fake", Message: "bad line", Err: err})
				return
			}
			if !yield(llm.Chunk{Text: word}, nil) {
				closeBody = m.mode != "leaky_stream"
				return
			}
		}
		err = sc.Err()
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		yield(llm.Chunk{}, err)
	}
}

// fakeHarness is the ChatHarness of fakeModel.
type fakeHarness struct {
	s *fakeServer
	m *fakeModel
}

func newFakeHarness(t *testing.T, mode string) conformance.ChatHarness {
	s := newFakeServer(t)
	return fakeHarness{s: s, m: &fakeModel{url: s.srv.URL, hc: s.srv.Client(), mode: mode}}
}

func (h fakeHarness) Model() llm.ChatModel   { return h.m }
func (h fakeHarness) ScriptText(text string) { h.s.push(fakeReply{text: text}) }
func (h fakeHarness) ScriptHang()            { h.s.push(fakeReply{hang: true}) }

func (h fakeHarness) ScriptError(status int, message string, retryAfter time.Duration) {
	h.s.push(fakeReply{status: status, message: message, retryAfter: retryAfter})
}

func (h fakeHarness) Requests() []conformance.Request {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	return append([]conformance.Request(nil), h.s.requests...)
}
