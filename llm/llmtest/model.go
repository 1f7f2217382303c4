package llmtest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// ErrNoReply is returned by a Model whose script is used up and that has no
// default reply.
var ErrNoReply = errors.New("llmtest: no scripted reply left")

// Model is a scripted in-memory chat model. It answers each request with
// the next Reply of its script and, once the script is used up, with its
// default reply (see WithDefault) or ErrNoReply. It checks every request
// with llm.Request.Validate, as real adapters do, and records every request
// it is sent. It implements llm.ChatModel, llm.Streamer and
// chain.Describer, and is safe for concurrent use: concurrent calls take
// replies in the order they reach the model.
//
// A call whose context has already ended returns the context's error
// without taking a reply or being recorded.
type Model struct {
	name string

	mu       sync.Mutex
	script   []Reply
	next     int
	def      Reply
	requests []llm.Request
	noRecord bool
}

// NewModel returns a Model named name (it appears in inference graphs as
// "llmtest:<name>") that gives replies in order.
func NewModel(name string, replies ...Reply) *Model {
	return &Model{name: name, script: slices.Clone(replies)}
}

// WithDefault sets the reply given once the script is used up, and returns
// m.
func (m *Model) WithDefault(r Reply) *Model {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.def = r
	return m
}

// Record sets whether the model records the requests it is sent (it does
// by default), and returns m. Benchmarks turn recording off so that memory
// does not grow with every call.
func (m *Model) Record(on bool) *Model {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.noRecord = !on
	return m
}

// Requests returns a copy of every request the model was sent, in the
// order they arrived (including those Validate refused).
func (m *Model) Requests() []llm.Request {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.requests)
}

// Remaining returns how many scripted replies have not been used yet.
func (m *Model) Remaining() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.script) - m.next
}

// Describe reports the model as a node of kind chain.KindModel named
// "llmtest:<name>".
func (m *Model) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "llmtest:" + m.name}
}

// Chat answers req with the next reply.
func (m *Model) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	if err := ctx.Err(); err != nil {
		return llm.Response{}, err
	}
	r, err := m.take(req)
	if err != nil {
		return llm.Response{}, err
	}
	if err := wait(ctx, r.delay); err != nil {
		return llm.Response{}, err
	}
	switch r.kind {
	case kindAnswer:
		return m.response(req, r), nil
	case kindError:
		return llm.Response{}, r.err
	case kindFunc:
		return r.fn(ctx, req)
	case kindHang:
		<-ctx.Done()
		return llm.Response{}, ctx.Err()
	case kindCut:
		return llm.Response{}, llm.ErrIncompleteStream
	}
	return llm.Response{}, fmt.Errorf("llmtest: model %s: the zero Reply is not a reply", m.name)
}

// Stream answers req with the next reply, streamed: its text in chunks,
// then a Done chunk with the tool calls, finish reason and usage. A Cut
// reply ends with llm.ErrIncompleteStream instead; an Error reply yields
// its error; a Hang reply blocks until ctx ends and yields ctx's error.
// The reply is taken when the iteration starts.
func (m *Model) Stream(ctx context.Context, req llm.Request) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		r, err := m.take(req)
		if err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		if err := wait(ctx, r.delay); err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		var resp llm.Response
		switch r.kind {
		case kindAnswer, kindCut:
			resp = m.response(req, r)
		case kindError:
			yield(llm.Chunk{}, r.err)
			return
		case kindFunc:
			if resp, err = r.fn(ctx, req); err != nil {
				yield(llm.Chunk{}, err)
				return
			}
		case kindHang:
			<-ctx.Done()
			yield(llm.Chunk{}, ctx.Err())
			return
		default:
			yield(llm.Chunk{}, fmt.Errorf("llmtest: model %s: the zero Reply is not a reply", m.name))
			return
		}
		for _, piece := range chunks(resp.Text(), r.chunkSize) {
			if err := ctx.Err(); err != nil {
				yield(llm.Chunk{}, err)
				return
			}
			if !yield(llm.Chunk{Text: piece}, nil) {
				return
			}
		}
		if err := ctx.Err(); err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		if r.kind == kindCut {
			yield(llm.Chunk{}, llm.ErrIncompleteStream)
			return
		}
		u := resp.Usage
		yield(llm.Chunk{ToolCalls: resp.Message.ToolCalls, FinishReason: resp.FinishReason, Usage: &u, Done: true}, nil)
	}
}

// take records req and returns the reply for it.
func (m *Model) take(req llm.Request) (Reply, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.noRecord {
		m.requests = append(m.requests, copyRequest(req))
	}
	if err := req.Validate(); err != nil {
		return Reply{}, fmt.Errorf("llmtest: model %s: %w", m.name, err)
	}
	if m.next < len(m.script) {
		r := m.script[m.next]
		m.next++
		return r, nil
	}
	if m.def.kind == kindInvalid {
		return Reply{}, fmt.Errorf("%w (model %s, %d replies scripted)", ErrNoReply, m.name, len(m.script))
	}
	return m.def, nil
}

// response builds the answer of a text or tool-call reply.
func (m *Model) response(req llm.Request, r Reply) llm.Response {
	msg := llm.Message{Role: llm.RoleAssistant, ToolCalls: slices.Clone(r.calls)}
	if r.text != "" {
		msg.Parts = []llm.Part{llm.Text(r.text)}
	}
	usage := llm.Usage{InputTokens: requestWords(req), OutputTokens: len(strings.Fields(r.text))}
	if r.usage != nil {
		usage = *r.usage
	}
	return llm.Response{Message: msg, FinishReason: r.finish, Usage: usage, Model: m.name}
}

func requestWords(req llm.Request) int {
	n := 0
	for _, msg := range req.Messages {
		for _, p := range msg.Parts {
			n += len(strings.Fields(p.Text))
		}
	}
	return n
}

// wait sleeps for d unless ctx ends first.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// chunks splits text into pieces of size bytes (at rune boundaries), or
// into words with their trailing spaces when size <= 0. Joined, the pieces
// are text.
func chunks(text string, size int) []string {
	if text == "" {
		return nil
	}
	if size <= 0 {
		pieces := strings.SplitAfter(text, " ")
		if pieces[len(pieces)-1] == "" {
			pieces = pieces[:len(pieces)-1]
		}
		return pieces
	}
	var out []string
	for len(text) > 0 {
		n := min(size, len(text))
		for n < len(text) && !utf8.RuneStart(text[n]) {
			n++
		}
		out = append(out, text[:n])
		text = text[n:]
	}
	return out
}

// copyRequest copies the slices of a request, so that what Requests
// returns does not change if the caller reuses its slices.
func copyRequest(req llm.Request) llm.Request {
	req.Messages = slices.Clone(req.Messages)
	for i := range req.Messages {
		req.Messages[i].Parts = slices.Clone(req.Messages[i].Parts)
		req.Messages[i].ToolCalls = slices.Clone(req.Messages[i].ToolCalls)
	}
	req.Tools = slices.Clone(req.Tools)
	req.Stop = slices.Clone(req.Stop)
	if req.Format != nil {
		f := *req.Format
		f.Schema = slices.Clone(f.Schema)
		req.Format = &f
	}
	return req
}
