package openaitest

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
	kind      replyKind
	content   string
	refusal   string
	toolCalls []ToolCall
	finish    string
	usage     *usage
	chunkSize int
	status    int
	apiErr    *apiError
	rawType   string
	rawBody   string
	header    http.Header
	delay     time.Duration
	fn        func(*Request) Reply
	handler   http.Handler
	vectors   [][]float32
	models    []string
}

type replyKind int

const (
	kindInvalid     replyKind = iota
	kindChat                  // text, JSON, refusal and tool-call replies
	kindError                 // an OpenAI JSON error body
	kindRaw                   // a body sent verbatim
	kindHang                  // block until the client gives up
	kindCut                   // partial response, then the connection is cut
	kindStall                 // partial stream, then block
	kindStreamError           // partial stream, then a data: {"error":...} event
	kindFunc                  // computed from the request
	kindHandler               // a raw http.Handler
	kindEmbeddings            // scripted vectors
	kindHashEmbed             // vectors from Embed
	kindModels                // a model list
)

func (k replyKind) String() string {
	names := [...]string{"invalid (zero Reply)", "chat", "error", "raw", "hang", "cut",
		"stall", "stream error", "func", "handler", "embeddings", "hash embeddings", "models"}
	if int(k) < len(names) {
		return names[k]
	}
	return "kind " + strconv.Itoa(int(k))
}

// ToolCall is one function call in a [ToolCalls] reply.
type ToolCall struct {
	// ID is the tool call id ("call_..."); empty means the server makes one up.
	ID string
	// Name is the function name.
	Name string
	// Arguments is the JSON text of the arguments, sent verbatim (so it may be
	// malformed on purpose).
	Arguments string
}

type usage struct {
	prompt, completion int
}

// Text is a chat reply with the given assistant content and finish_reason
// "stop". For a streaming request the content is sent as several deltas of
// [DefaultChunkSize] characters (see [Reply.WithChunkSize]).
func Text(content string) Reply {
	return Reply{kind: kindChat, content: content, finish: "stop"}
}

// JSON is a chat reply whose content is v marshalled as JSON, as a model
// answers a response_format json_object or json_schema request. A string,
// []byte or json.RawMessage is used verbatim. If v cannot be marshalled the
// reply is a 500 error that names the problem.
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
		return ServerError().withMessage("openaitest: JSON reply: " + err.Error())
	}
	return Text(string(b))
}

// MalformedJSONContent is the content of [MalformedJSON]: a JSON object cut
// off in the middle, as when a model stops early.
const MalformedJSONContent = `{"name": "Ada Lovelace", "age": 36, "tags": ["math", "poe`

// MalformedJSON is a chat reply whose content is not valid JSON
// ([MalformedJSONContent]), with finish_reason "stop". Use
// [Reply.WithFinishReason]("length") for the truncated-by-max_tokens variant.
func MalformedJSON() Reply {
	return Text(MalformedJSONContent)
}

// Refusal is a chat reply where the model refuses: content is null and the
// message's "refusal" field holds msg (streamed as "refusal" deltas), as in
// structured-output responses.
func Refusal(msg string) Reply {
	return Reply{kind: kindChat, refusal: msg, finish: "stop"}
}

// ToolCalls is a chat reply in which the assistant calls one or more tools:
// content null, "tool_calls" set, finish_reason "tool_calls". Streamed, the
// first delta of each call carries index, id, type "function", the name and
// empty arguments; later deltas carry only the index and argument fragments.
func ToolCalls(calls ...ToolCall) Reply {
	return Reply{kind: kindChat, toolCalls: append([]ToolCall(nil), calls...), finish: "tool_calls"}
}

// Hang makes the handler block until the request's context is done (the
// client gives up or disconnects) or the server closes; nothing is written.
func Hang() Reply { return Reply{kind: kindHang} }

// CutStream sends partial as content deltas of a streaming response and then
// cuts the connection, without a finish chunk and without "data: [DONE]".
// For a non-streaming request it sends the first half of a complete response
// body (Content-Length announces the whole) and then cuts the connection.
func CutStream(partial string) Reply { return Reply{kind: kindCut, content: partial} }

// StallStream sends partial as content deltas of a streaming response and
// then blocks until the client gives up or the server closes (an idle,
// never-ending stream). For a non-streaming request it behaves like [Hang].
func StallStream(partial string) Reply { return Reply{kind: kindStall, content: partial} }

// StreamError sends partial as content deltas of a streaming response, then
// an error event `data: {"error":{...}}` (as some OpenAI-compatible servers
// do) and ends the response without "data: [DONE]". For a non-streaming
// request it answers with the same error body and status 500.
func StreamError(partial, errType, code, message string) Reply {
	return Reply{kind: kindStreamError, content: partial, status: http.StatusInternalServerError,
		apiErr: newAPIError(errType, code, message)}
}

// Func computes the reply from the parsed request when the request arrives:
// echo it, derive embeddings, branch on tools, or return any other Reply
// (Func replies may nest a few levels). f runs on the server's handler
// goroutine; it may call t.Error but not t.Fatal.
func Func(f func(req *Request) Reply) Reply { return Reply{kind: kindFunc, fn: f} }

// Echo is the default chat reply: a [Text] reply with the content of the last
// user message of the request.
func Echo() Reply {
	return Func(func(r *Request) Reply { return Text(r.LastUserMessage()) })
}

// Handler answers with a raw http.Handler, for anything the other replies do
// not cover. The request body can be read again.
func Handler(h http.Handler) Reply { return Reply{kind: kindHandler, handler: h} }

// Embeddings is an embeddings reply with exactly these vectors (data[i] has
// index i), whatever the number of inputs, so tests can also script a
// mismatch. Honours encoding_format "base64".
func Embeddings(vectors ...[]float32) Reply {
	vs := make([][]float32, len(vectors))
	for i, v := range vectors {
		vs[i] = append([]float32(nil), v...)
	}
	return Reply{kind: kindEmbeddings, vectors: vs}
}

// HashEmbeddings is the default embeddings reply: one vector per input,
// computed by [Embed] with the request's "dimensions" or the server's
// embedding dimension.
func HashEmbeddings() Reply { return Reply{kind: kindHashEmbed} }

// ModelList is a models reply listing these ids (GET /v1/models), or, for
// GET /v1/models/{id}, the one model if listed and a 404 model_not_found
// otherwise.
func ModelList(ids ...string) Reply {
	return Reply{kind: kindModels, models: append([]string(nil), ids...)}
}

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

// WithUsage returns a copy of r reporting these token counts (total is their
// sum). Without it a chat reply estimates them from the text (4 characters a
// token).
func (r Reply) WithUsage(promptTokens, completionTokens int) Reply {
	r.usage = &usage{prompt: promptTokens, completion: completionTokens}
	return r
}

// WithChunkSize returns a copy of r whose streamed deltas carry n characters
// (runes) of content or arguments each. n < 1 is ignored.
func (r Reply) WithChunkSize(n int) Reply {
	if n > 0 {
		r.chunkSize = n
	}
	return r
}

// WithFinishReason returns a copy of r with another finish_reason ("length",
// "content_filter", ...).
func (r Reply) WithFinishReason(reason string) Reply {
	r.finish = reason
	return r
}

// WithContent returns a copy of r with this assistant content, e.g. text
// that precedes the tool calls of a [ToolCalls] reply (streamed first).
func (r Reply) WithContent(content string) Reply {
	r.content = content
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

// WithParam returns a copy of an error reply whose error body has this
// "param" (instead of null).
func (r Reply) WithParam(param string) Reply {
	if r.apiErr != nil {
		e := *r.apiErr
		e.Param = &param
		r.apiErr = &e
	}
	return r
}

func (r Reply) withMessage(msg string) Reply {
	if r.apiErr != nil {
		e := *r.apiErr
		e.Message = msg
		r.apiErr = &e
	}
	return r
}

// String names the reply's kind, for test failure messages.
func (r Reply) String() string {
	return fmt.Sprintf("openaitest.Reply(%s)", r.kind)
}
