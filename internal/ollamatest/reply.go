package ollamatest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/ollama/ollama/api"
)

// kind is what a Reply does.
type kind int

const (
	kindDefault kind = iota // whatever the default handler answers
	kindMessage             // a model message: text, thinking, tool calls
	kindError               // an HTTP error status with {"error": msg}
	kindRaw                 // an exact status, content type and body
	kindHang                // no answer until the request ends
	kindFunc                // a reply computed from the request
)

// ending is how a streamed message ends.
type ending int

const (
	endDone      ending = iota // a final object with done: true
	endErrorLine               // a {"error": msg} line in the 200 stream
	endCut                     // the connection is aborted
	endStall                   // nothing more until the request ends
)

// Reply is one scripted answer of the fake model. Build it with a
// constructor ([Text], [JSON], [ToolCalls], [Error], ...) and refine it with
// the With methods, which return a modified copy. The zero Reply is
// [Default].
type Reply struct {
	kind       kind
	end        ending
	content    string
	thinking   string
	toolCalls  []api.ToolCall
	status     int
	message    string
	body       string
	ctype      string
	fn         func(Request) Reply
	delay      time.Duration
	chunkSize  int
	chunkDelay time.Duration
	doneReason string
	promptEval int
	eval       int
	header     http.Header
	buildErr   error
}

// Default is the reply the server gives when nothing is scripted: the
// default handler's answer for chat and generate (see [WithDefault]) and
// deterministic vectors for embeddings. Use it to add latency or headers to
// the normal answer, e.g. Default().WithDelay(50*time.Millisecond).
func Default() Reply { return Reply{} }

// Text replies with an assistant message (chat) or response (generate) with
// the given content. When the request streams, the content is sent in chunks
// of the configured size (see [WithChunkSize] and [Reply.WithChunkSize]),
// followed by a final object with done: true, done_reason "stop" and metrics.
func Text(content string) Reply {
	return Reply{kind: kindMessage, content: content}
}

// JSON replies with the JSON encoding of v as the message content, as a
// model constrained by the request's format would. A string, []byte or
// json.RawMessage is sent as is. If v cannot be encoded the server fails the
// test and answers 500.
func JSON(v any) Reply {
	b, err := encodeJSON(v)
	return Reply{kind: kindMessage, content: string(b), buildErr: err}
}

// MalformedJSON replies with the JSON encoding of v cut short by its last
// byte, as when a model stops mid-object: the content does not parse. Use it
// with an object or array; combine it with WithDoneReason("length") to mimic
// a model that hit num_predict.
func MalformedJSON(v any) Reply {
	b, err := encodeJSON(v)
	if len(b) > 0 {
		b = b[:len(b)-1]
	}
	return Reply{kind: kindMessage, content: string(b), buildErr: err}
}

// ToolCalls replies with an assistant message carrying the given tool calls
// and no content. Ollama sends tool calls whole, never as fragments: in a
// stream they arrive in one chunk before the final done object. The server
// numbers the calls (function.index) and gives each a "call_xxxxxxxx" ID when
// it has none. Build calls with [Call] or directly as api.ToolCall values.
func ToolCalls(calls ...api.ToolCall) Reply {
	return Reply{kind: kindMessage, toolCalls: slices.Clone(calls)}
}

// Call builds a tool call to the function name with the given arguments.
// The arguments are inserted in sorted key order, so the encoding is
// deterministic.
func Call(name string, args map[string]any) api.ToolCall {
	a := api.NewToolCallFunctionArguments()
	for _, k := range slices.Sorted(maps.Keys(args)) {
		a.Set(k, args[k])
	}
	return api.ToolCall{Function: api.ToolCallFunction{Name: name, Arguments: a}}
}

// Error replies with the HTTP status and the body {"error": message}, as
// Ollama does for errors raised before any output (400 bad request, 404
// unknown model, 500 runner failure, 503 server busy). The api client turns
// it into an api.StatusError value.
func Error(status int, message string) Reply {
	return Reply{kind: kindError, status: status, message: message}
}

// Raw replies with exactly the given status, Content-Type and body, e.g. an
// HTML page from a proxy or an empty 502. Note that the v0.17.4 api client's
// Chat and Generate return nil for an error status with an empty body.
func Raw(status int, contentType, body string) Reply {
	return Reply{kind: kindRaw, status: status, ctype: contentType, body: body}
}

// StreamError streams the partial content in chunks and then the line
// {"error": message} inside the 200 response, as Ollama does when the runner
// fails mid-generation; no done: true follows. The v0.17.4 api client
// returns errors.New(message), not an api.StatusError. When the request does
// not stream, or when partial is empty, the server answers 500 with
// {"error": message} instead, as Ollama does.
func StreamError(partial, message string) Reply {
	return Reply{kind: kindMessage, content: partial, end: endErrorLine, message: message}
}

// Cut streams the partial content in chunks and then aborts the connection
// (panic(http.ErrAbortHandler)): no done: true arrives. The v0.17.4 api
// client ignores the broken read and returns nil, so only the missing
// done: true tells. When the request does not stream, the connection is
// aborted before any byte is written and the client returns a transport
// error (Post "...": EOF).
func Cut(partial string) Reply {
	return Reply{kind: kindMessage, content: partial, end: endCut}
}

// Stall streams the partial content in chunks and then sends nothing more
// until the client gives up (its context ends) or the server closes. The
// v0.17.4 api client returns nil when its context ends mid-stream. When the
// request does not stream, it behaves like [Hang].
func Stall(partial string) Reply {
	return Reply{kind: kindMessage, content: partial, end: endStall}
}

// Hang answers nothing, not even headers, until the client gives up (its
// context ends; the api client returns the context's error) or the server
// closes (the connection is aborted).
func Hang() Reply { return Reply{kind: kindHang} }

// Func computes the reply from the recorded request when the request
// arrives. fn runs on the server's handler goroutine; it may return another
// Func reply (up to a small depth) or Default.
func Func(fn func(Request) Reply) Reply { return Reply{kind: kindFunc, fn: fn} }

// WithThinking adds thinking text, sent before the content (message.thinking
// in chat, thinking in generate), chunked like the content when streaming.
func (r Reply) WithThinking(thinking string) Reply {
	r.thinking = thinking
	return r
}

// WithToolCalls adds tool calls after the content, as in [ToolCalls].
func (r Reply) WithToolCalls(calls ...api.ToolCall) Reply {
	r.toolCalls = append(slices.Clone(r.toolCalls), calls...)
	return r
}

// WithDelay waits d before answering (before the headers). The wait ends
// early if the client gives up.
func (r Reply) WithDelay(d time.Duration) Reply {
	r.delay = d
	return r
}

// WithChunkSize sets the number of characters (runes) per streamed chunk
// for this reply, overriding [WithChunkSize]. n < 1 is ignored.
func (r Reply) WithChunkSize(n int) Reply {
	r.chunkSize = n
	return r
}

// WithChunkDelay waits d before each streamed chunk after the first,
// overriding [WithChunkDelay].
func (r Reply) WithChunkDelay(d time.Duration) Reply {
	r.chunkDelay = d
	return r
}

// WithDoneReason sets done_reason of the final object ("stop" by default;
// Ollama also sends "length" when num_predict was reached).
func (r Reply) WithDoneReason(reason string) Reply {
	r.doneReason = reason
	return r
}

// WithUsage sets prompt_eval_count and eval_count of the final object
// instead of the server's estimates (words in the prompt, chunks sent).
func (r Reply) WithUsage(promptTokens, outputTokens int) Reply {
	r.promptEval = promptTokens
	r.eval = outputTokens
	return r
}

// WithHeader adds a response header (e.g. Retry-After from a proxy in front
// of Ollama). Ollama itself sends none, and the api client does not expose
// response headers.
func (r Reply) WithHeader(key, value string) Reply {
	h := r.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Add(key, value)
	r.header = h
	return r
}

// encodeJSON encodes v, passing strings and raw bytes through.
func encodeJSON(v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return []byte(v), nil
	case []byte:
		return v, nil
	case json.RawMessage:
		return v, nil
	}
	return json.Marshal(v)
}
