package conformance

import (
	"encoding/json"
	"time"

	"github.com/chorus-go/chorus/llm"
)

// ChatHarness connects TestChatModel to a chat model and to the scripted
// server behind it. TestChatModel makes a new harness for every check.
//
// Scripted replies are queued: each request that reaches the server takes
// the oldest one. When the queue is empty the server may answer anything
// (the checks always script what they need). A JSON reply is scripted as
// text holding the JSON.
type ChatHarness interface {
	// Model returns the model under test, talking to this harness's
	// server. It is called once per check.
	Model() llm.ChatModel
	// ScriptText queues an answer whose assistant text is text (streamed
	// in several chunks, where the server streams).
	ScriptText(text string)
	// ScriptError queues a failure: the server answers HTTP status with
	// message as its error message and, when retryAfter > 0, the header
	// Retry-After set to retryAfter in whole seconds.
	ScriptError(status int, message string, retryAfter time.Duration)
	// ScriptHang queues an answer that never comes: the server holds the
	// request, sending nothing, until the client gives up.
	ScriptHang()
	// Requests returns the chat requests that reached the server so far,
	// oldest first. Requests the adapter refused itself never reach it.
	Requests() []Request
}

// Request is what a ChatHarness reports of one request its server
// received, translated from the server's wire format.
type Request struct {
	// Prompt is the text of the request's last user message.
	Prompt string
	// Schema is the JSON schema the request asked the answer to follow
	// (OpenAI's response_format.json_schema.schema, Ollama's format
	// object), or nil when it asked for none.
	Schema json.RawMessage
}

// EmbedderHarness connects TestEmbedder to an embedder and to the
// scripted server behind it. TestEmbedder makes a new harness for every
// check.
//
// By default the server must embed deterministically: the same text gives
// the same vector whatever the other texts of the request, as the hashing
// embedders of the project's test servers do. ScriptError and ScriptHang
// queue the answer to the next request instead.
type EmbedderHarness interface {
	// Embedder returns the embedder under test, talking to this harness's
	// server. It is called once per check.
	Embedder() llm.Embedder
	// ScriptError queues a failure, as ChatHarness.ScriptError does.
	ScriptError(status int, message string, retryAfter time.Duration)
	// ScriptHang queues an answer that never comes.
	ScriptHang()
	// Received returns how many texts the server has been sent to embed
	// so far, over all requests.
	Received() int
}

// OCRCase is an image TestOCR reads, and text the result must hold.
type OCRCase struct {
	// Name names the case's subtest; "case<i>" when empty.
	Name string
	// Image is the image to read.
	Image llm.Image
	// WantContains are pieces of text the result must contain. Spaces
	// and line breaks are compared loosely: any run of white space
	// matches any other.
	WantContains []string
}
