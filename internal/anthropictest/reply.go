package anthropictest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Reply is one scripted answer of the server. Build replies with the
// constructors in this package (Text, ToolCalls, JSON, Error, Hang, Func ...)
// and adjust them with the With methods, which return a modified copy.
// The zero Reply is invalid: serving it fails the test.
type Reply struct {
	kind       replyKind
	text       string
	toolCalls  []ToolCall
	stopReason string
	usage      *Usage
	chunkSize  int
	status     int
	apiErr     *apiError
	rawType    string
	rawBody    string
	header     http.Header
	delay      time.Duration
	fn         func(*Request) Reply
	handler    http.Handler
}

type replyKind int

const (
	kindInvalid     replyKind = iota
	kindMessage               // text and tool_use answers
	kindError                 // an Anthropic JSON error body
	kindRaw                   // a body sent verbatim
	kindHang                  // block until the client gives up
	kindCut                   // partial response, then the connection is cut
	kindStall                 // partial stream, then block
	kindStreamError           // partial stream, then an `event: error`
	kindFunc                  // computed from the request
	kindHandler               // a raw http.Handler
)

func (k replyKind) String() string {
	names := [...]string{"invalid (zero Reply)", "message", "error", "raw", "hang", "cut",
		"stall", "stream error", "func", "handler"}
	if int(k) < len(names) {
		return names[k]
	}
	return "kind " + strconv.Itoa(int(k))
}

// ToolCall is one tool_use block of a [ToolCalls] reply.
type ToolCall struct {
	// ID is the block's id ("toolu_..."); empty means the server makes one up.
	ID string
	// Name is the tool's name.
	Name string
	// Input is the JSON text of the input object. It is sent verbatim when
	// streamed (as input_json_delta fragments, so it may be malformed on
	// purpose); in a JSON answer it must be valid JSON.
	Input string
}

// Usage is the token usage a reply reports.
type Usage struct {
	InputTokens              int `json:"input_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
	OutputTokens             int `json:"output_tokens"`
}

// Text is an answer of one text block with stop_reason "end_turn". For a
// streaming request the text is sent as several text_delta events of
// [DefaultChunkSize] characters (see [Reply.WithChunkSize]).
func Text(text string) Reply {
	return Reply{kind: kindMessage, text: text, stopReason: "end_turn"}
}

// JSON is a text answer whose text is v marshalled as JSON, as a model
// answers a request with output_config.format. A string, []byte or
// json.RawMessage is used verbatim. If v cannot be marshalled the reply is a
// 500 error that names the problem.
func JSON(v any) Reply {
	switch x := v.(type) {
	case string:
		return Text(x)
	case []byte:
		return Text(string(x))
	case json.RawMessage:
		return Text(string(x))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return Error(http.StatusInternalServerError, "api_error", "anthropictest: JSON reply: "+err.Error())
	}
	return Text(string(b))
}

// ToolCalls is an answer in which the model calls tools: one tool_use block
// per call (after a text block if [Reply.WithText] gives one), stop_reason
// "tool_use". Streamed, each block starts with content_block_start holding
// the id, the name and an empty input, followed by input_json_delta events
// carrying fragments of the input.
func ToolCalls(calls ...ToolCall) Reply {
	return Reply{kind: kindMessage, toolCalls: append([]ToolCall(nil), calls...), stopReason: "tool_use"}
}

// Hang makes the handler block until the request's context is done (the
// client gives up or disconnects) or the server closes; nothing is written.
func Hang() Reply { return Reply{kind: kindHang} }

// CutStream sends partial as text deltas of a streaming answer and then cuts
// the connection, without message_delta and message_stop. For a
// non-streaming request it sends the first half of a complete body
// (Content-Length announces the whole) and then cuts the connection.
func CutStream(partial string) Reply { return Reply{kind: kindCut, text: partial} }

// StallStream sends partial as text deltas of a streaming answer and then
// blocks until the client gives up or the server closes. For a
// non-streaming request it behaves like [Hang].
func StallStream(partial string) Reply { return Reply{kind: kindStall, text: partial} }

// StreamError sends partial as text deltas of a streaming answer, then
// `event: error` with Anthropic's error body (as the API does when it is
// overloaded mid-stream) and ends the response. For a non-streaming request
// it answers with the same error body and status 529 for overloaded_error,
// 500 otherwise.
func StreamError(partial, errType, message string) Reply {
	status := http.StatusInternalServerError
	if errType == "overloaded_error" {
		status = 529
	}
	return Reply{kind: kindStreamError, text: partial, status: status, apiErr: &apiError{Type: errType, Message: message}}
}

// Func computes the reply from the parsed request when the request arrives.
// f runs on the server's handler goroutine; it may call t.Error but not
// t.Fatal.
func Func(f func(req *Request) Reply) Reply { return Reply{kind: kindFunc, fn: f} }

// Echo is the default reply: a [Text] answer with the text of the last user
// message of the request.
func Echo() Reply {
	return Func(func(r *Request) Reply { return Text(r.LastUserMessage()) })
}

// Handler answers with a raw http.Handler, for anything the other replies do
// not cover. The request body can be read again.
func Handler(h http.Handler) Reply { return Reply{kind: kindHandler, handler: h} }

// RawResponse answers with status, the Content-Type and a body sent
// verbatim: a non-JSON error page, a garbled 200, anything.
func RawResponse(status int, contentType, body string) Reply {
	return Reply{kind: kindRaw, status: status, rawType: contentType, rawBody: body}
}

// WithDelay returns a copy of r that waits d before answering. The wait ends
// early, without an answer, when the client gives up or the server closes.
func (r Reply) WithDelay(d time.Duration) Reply {
	r.delay = d
	return r
}

// WithUsage returns a copy of r reporting this usage. Without it an answer
// estimates input and output tokens from the text (4 characters a token)
// and reports no cache tokens.
func (r Reply) WithUsage(u Usage) Reply {
	r.usage = &u
	return r
}

// WithChunkSize returns a copy of r whose streamed deltas carry n characters
// (runes) of text or input each. n < 1 is ignored.
func (r Reply) WithChunkSize(n int) Reply {
	if n > 0 {
		r.chunkSize = n
	}
	return r
}

// WithStopReason returns a copy of r with another stop_reason
// ("max_tokens", "stop_sequence", "refusal", ...).
func (r Reply) WithStopReason(reason string) Reply {
	r.stopReason = reason
	return r
}

// WithText returns a copy of r with this text, e.g. the text block that
// precedes the tool_use blocks of a [ToolCalls] answer.
func (r Reply) WithText(text string) Reply {
	r.text = text
	return r
}

// WithHeader returns a copy of r that also sends this response header.
func (r Reply) WithHeader(key, value string) Reply {
	h := r.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Add(key, value)
	r.header = h
	return r
}

// String names the reply's kind, for test failure messages.
func (r Reply) String() string {
	return fmt.Sprintf("anthropictest.Reply(%s)", r.kind)
}
