package geminitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Reply is one scripted answer of the server. Build replies with the
// constructors of this package (Text, FunctionCalls, Blocked, Error, Hang,
// Func ...) and adjust them with the With methods, which return a changed
// copy. The zero Reply is invalid: serving it fails the test.
type Reply struct {
	kind      replyKind
	text      string
	calls     []Call
	finish    string
	block     string
	ratings   []SafetyRating
	usage     *usageMetadata
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
}

type replyKind int

const (
	kindInvalid     replyKind = iota
	kindGenerate              // text, JSON, function calls, blocks
	kindError                 // a Google JSON error body
	kindRaw                   // a body sent verbatim
	kindHang                  // block until the client gives up
	kindCut                   // partial answer, then the connection is cut
	kindStall                 // partial stream, then block
	kindStreamError           // partial stream, then a data: {"error":...} event
	kindFunc                  // computed from the request
	kindHandler               // a raw http.Handler
	kindEmbeddings            // scripted vectors
	kindHashEmbed             // vectors from Embed
)

func (k replyKind) String() string {
	names := [...]string{"invalid (zero Reply)", "generate", "error", "raw", "hang", "cut",
		"stall", "stream error", "func", "handler", "embeddings", "hash embeddings"}
	if int(k) < len(names) {
		return names[k]
	}
	return "kind " + strconv.Itoa(int(k))
}

// Call is one function call of a [FunctionCalls] reply.
type Call struct {
	// ID is the call's id; the Gemini API often sends none.
	ID string
	// Name is the function's name.
	Name string
	// Args is the JSON object of the arguments ("" for none).
	Args string
	// ThoughtSignature, when set, is sent as the part's thoughtSignature,
	// as thinking models do: the client must send it back with the call.
	ThoughtSignature []byte
}

// Text is an answer with this text and finishReason STOP. Streamed, the
// text goes in chunks of [DefaultChunkSize] characters.
func Text(text string) Reply { return Reply{kind: kindGenerate, text: text, finish: "STOP"} }

// JSON is an answer whose text is v as JSON, as a model answers a request
// with responseMimeType application/json. A string, []byte or
// json.RawMessage is used as it is; a v that does not marshal makes a 500.
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
		return Error(http.StatusInternalServerError, "INTERNAL", "geminitest: JSON reply: "+err.Error())
	}
	return Text(string(b))
}

// FunctionCalls is an answer that calls functions: one functionCall part
// per call, finishReason STOP (as the Gemini API sends it). Streamed, each
// call comes whole, in its own chunk.
func FunctionCalls(calls ...Call) Reply {
	return Reply{kind: kindGenerate, calls: append([]Call(nil), calls...), finish: "STOP"}
}

// Blocked is the answer to a prompt the safety filters refused: no
// candidates, promptFeedback.blockReason set to reason ("SAFETY",
// "PROHIBITED_CONTENT", "BLOCKLIST", "OTHER") with a rating that says which
// category blocked it. Status 200, as the Gemini API answers it.
func Blocked(reason string) Reply {
	return Reply{kind: kindGenerate, block: reason,
		ratings: []SafetyRating{{Category: "HARM_CATEGORY_DANGEROUS_CONTENT", Probability: "HIGH", Blocked: true}}}
}

// Stopped is an answer the safety filters stopped: text (possibly empty)
// then finishReason reason ("SAFETY", "RECITATION", "PROHIBITED_CONTENT",
// "SPII", "BLOCKLIST"), with a candidate safety rating marked blocked.
func Stopped(text, reason string) Reply {
	return Reply{kind: kindGenerate, text: text, finish: reason,
		ratings: []SafetyRating{{Category: "HARM_CATEGORY_HARASSMENT", Probability: "HIGH", Blocked: true}}}
}

// Hang makes the handler block until the client gives up or the server
// closes; nothing is written.
func Hang() Reply { return Reply{kind: kindHang} }

// CutStream sends partial as chunks of a stream, then cuts the connection
// before the chunk with the finish reason. For a request that does not
// stream it sends half a body (Content-Length announces it whole) and cuts.
func CutStream(partial string) Reply { return Reply{kind: kindCut, text: partial} }

// StallStream sends partial as chunks of a stream, then blocks until the
// client gives up or the server closes. Not streaming, it is [Hang].
func StallStream(partial string) Reply { return Reply{kind: kindStall, text: partial} }

// StreamError sends partial as chunks of a stream, then the event
// data: {"error":{code, message, status}} and ends the response. Not
// streaming, it is the same error body with HTTP status code.
func StreamError(partial string, code int, status, message string) Reply {
	return Reply{kind: kindStreamError, text: partial, status: code,
		apiErr: &apiError{Code: code, Status: status, Message: message}}
}

// Func computes the reply from the request when it arrives. f runs on the
// handler's goroutine; it may call t.Error but not t.Fatal.
func Func(f func(req *Request) Reply) Reply { return Reply{kind: kindFunc, fn: f} }

// Echo is the default chat reply: a [Text] of the last user text of the
// request.
func Echo() Reply { return Func(func(r *Request) Reply { return Text(r.LastUserText()) }) }

// Handler answers with a raw http.Handler; the request body can be read
// again.
func Handler(h http.Handler) Reply { return Reply{kind: kindHandler, handler: h} }

// Embeddings is an embeddings reply with exactly these vectors, whatever
// the number of texts, so that tests can script a mismatch.
func Embeddings(vectors ...[]float32) Reply {
	vs := make([][]float32, len(vectors))
	for i, v := range vectors {
		vs[i] = append([]float32(nil), v...)
	}
	return Reply{kind: kindEmbeddings, vectors: vs}
}

// HashEmbeddings is the default embeddings reply: one [Embed] vector per
// text, of the request's outputDimensionality or the server's dimension.
func HashEmbeddings() Reply { return Reply{kind: kindHashEmbed} }

// RawResponse answers with status, this Content-Type and body as it is.
func RawResponse(status int, contentType, body string) Reply {
	return Reply{kind: kindRaw, status: status, rawType: contentType, rawBody: body}
}

// WithDelay returns r waiting d before it answers; the wait ends, with no
// answer, when the client gives up or the server closes.
func (r Reply) WithDelay(d time.Duration) Reply { r.delay = d; return r }

// WithUsage returns r reporting these token counts in usageMetadata.
// Without it the counts are estimated (4 characters a token).
func (r Reply) WithUsage(prompt, candidates int) Reply {
	r.usage = &usageMetadata{PromptTokenCount: prompt, CandidatesTokenCount: candidates, TotalTokenCount: prompt + candidates}
	return r
}

// WithChunkSize returns r streamed n characters a chunk. n < 1 is ignored.
func (r Reply) WithChunkSize(n int) Reply {
	if n > 0 {
		r.chunkSize = n
	}
	return r
}

// WithFinishReason returns r with another finishReason (MAX_TOKENS,
// OTHER, MALFORMED_FUNCTION_CALL ...).
func (r Reply) WithFinishReason(reason string) Reply { r.finish = reason; return r }

// WithText returns r with this text, sent before its function calls.
func (r Reply) WithText(text string) Reply { r.text = text; return r }

// WithSafetyRatings returns r with these ratings (of the prompt for
// Blocked, of the candidate otherwise).
func (r Reply) WithSafetyRatings(ratings ...SafetyRating) Reply {
	r.ratings = append([]SafetyRating(nil), ratings...)
	return r
}

// WithHeader returns r also sending this response header.
func (r Reply) WithHeader(key, value string) Reply {
	h := r.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Add(key, value)
	r.header = h
	return r
}

// String names the reply's kind, for failure messages.
func (r Reply) String() string { return fmt.Sprintf("geminitest.Reply(%s)", r.kind) }
