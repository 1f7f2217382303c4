package llmtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/chorus-go/chorus/llm"
)

// Reply is one scripted answer of a Model. Build replies with Text, JSON,
// ToolCalls, Error, Func, Hang and Cut, and adjust them with the With
// methods, which return a modified copy. The zero Reply is invalid: a
// Model that reaches one returns an error.
type Reply struct {
	kind      replyKind
	text      string
	calls     []llm.ToolCall
	err       error
	fn        func(ctx context.Context, req llm.Request) (llm.Response, error)
	finish    string
	usage     *llm.Usage
	delay     time.Duration
	chunkSize int
}

type replyKind int

const (
	kindInvalid replyKind = iota
	kindAnswer            // text and/or tool calls
	kindError             // an error instead of an answer
	kindFunc              // computed from the request
	kindHang              // block until ctx ends
	kindCut               // text, then the stream stops before Done
)

// Text is a reply with the given assistant text and finish reason "stop".
// Streamed, the text comes as several chunks (one per word, or see
// WithChunkSize) and then a Done chunk.
func Text(text string) Reply {
	return Reply{kind: kindAnswer, text: text, finish: "stop"}
}

// JSON is a Text reply holding v encoded as JSON. It panics if v cannot be
// encoded, like template.Must: it is meant for literals in tests.
func JSON(v any) Reply {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("llmtest.JSON: %v", err))
	}
	return Text(string(b))
}

// ToolCalls is a reply asking for tool calls, with finish reason
// "tool_calls". Calls without an ID get "call_1", "call_2"... in order.
func ToolCalls(calls ...llm.ToolCall) Reply {
	cs := make([]llm.ToolCall, len(calls))
	for i, c := range calls {
		if c.ID == "" {
			c.ID = "call_" + strconv.Itoa(i+1)
		}
		cs[i] = c
	}
	return Reply{kind: kindAnswer, calls: cs, finish: "tool_calls"}
}

// Error is a reply that fails with err. Use StatusError for a provider
// failure that chain.Retry and chain.Breaker recognise.
func Error(err error) Reply {
	if err == nil {
		err = fmt.Errorf("llmtest: Error(nil)")
	}
	return Reply{kind: kindError, err: err}
}

// Func is a reply computed from the request by f. f's Response is returned
// as it is (streamed, its text is chunked); its error is returned as it is.
// Func(nil) is the zero Reply.
func Func(f func(ctx context.Context, req llm.Request) (llm.Response, error)) Reply {
	if f == nil {
		return Reply{}
	}
	return Reply{kind: kindFunc, fn: f}
}

// Hang is a reply that never comes: the call blocks until its context ends
// and then returns the context's error. Use it to test timeouts and
// cancellation.
func Hang() Reply { return Reply{kind: kindHang} }

// Cut is a reply whose stream is cut before it is done: the text is
// streamed in chunks and then the stream ends with llm.ErrIncompleteStream
// instead of a Done chunk. Chat returns llm.ErrIncompleteStream.
func Cut(text string) Reply { return Reply{kind: kindCut, text: text} }

// WithDelay returns a copy of r that answers after d, or returns the
// context's error if it ends first. Streamed, the delay comes before the
// first chunk.
func (r Reply) WithDelay(d time.Duration) Reply {
	r.delay = d
	return r
}

// WithUsage returns a copy of r that reports the given token usage. Without
// it a reply reports one input token per word of the request's messages and
// one output token per word of its text.
func (r Reply) WithUsage(input, output int) Reply {
	r.usage = &llm.Usage{InputTokens: input, OutputTokens: output}
	return r
}

// WithFinishReason returns a copy of r with another finish reason, such as
// "length" for an answer cut by the token limit.
func (r Reply) WithFinishReason(reason string) Reply {
	r.finish = reason
	return r
}

// WithChunkSize returns a copy of r whose streamed text comes in chunks of
// n bytes (split at rune boundaries) instead of one chunk per word.
func (r Reply) WithChunkSize(n int) Reply {
	r.chunkSize = n
	return r
}

// StatusError returns the *llm.Error a provider adapter gives for an HTTP
// status: retryable for 408, 409, 425, 429 and 5xx but 501, matching
// llm.ErrRateLimited, llm.ErrServer and the other status sentinels.
func StatusError(code int) *llm.Error {
	return &llm.Error{
		Provider:   "llmtest",
		StatusCode: code,
		Message:    http.StatusText(code),
		Temporary:  llm.TemporaryStatus(code),
	}
}
