package ollamatest

import (
	"encoding/json"
	"net/http"

	"github.com/ollama/ollama/api"
)

// Request is one request the server received, recorded before it was
// answered. Exactly one of the decoded fields is set when the body decoded
// into the endpoint's api request type; DecodeError says why it did not.
// Treat the value as read-only: it is shared with the server's record.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the URL path, e.g. "/api/chat".
	Path string
	// Header holds the request headers (User-Agent, Accept, ...).
	Header http.Header
	// Body is the raw request body.
	Body []byte

	// Chat is the decoded body of POST /api/chat.
	Chat *api.ChatRequest
	// Generate is the decoded body of POST /api/generate.
	Generate *api.GenerateRequest
	// Embed is the decoded body of POST /api/embed.
	Embed *api.EmbedRequest
	// Embeddings is the decoded body of the legacy POST /api/embeddings.
	Embeddings *api.EmbeddingRequest
	// Show is the decoded body of POST /api/show.
	Show *api.ShowRequest

	// DecodeError is the error from decoding Body, if any.
	DecodeError error
}

// Model returns the model named by the request, or "".
func (r Request) Model() string {
	switch {
	case r.Chat != nil:
		return r.Chat.Model
	case r.Generate != nil:
		return r.Generate.Model
	case r.Embed != nil:
		return r.Embed.Model
	case r.Embeddings != nil:
		return r.Embeddings.Model
	case r.Show != nil:
		if r.Show.Model != "" {
			return r.Show.Model
		}
		return r.Show.Name
	}
	return ""
}

// Streaming reports whether a chat or generate request asked for a stream:
// Ollama streams when "stream" is absent or true.
func (r Request) Streaming() bool {
	var s *bool
	switch {
	case r.Chat != nil:
		s = r.Chat.Stream
	case r.Generate != nil:
		s = r.Generate.Stream
	default:
		return false
	}
	return s == nil || *s
}

// Format returns the raw "format" of a chat or generate request: nil, the
// string "json" (as `"json"`) or a JSON schema object.
func (r Request) Format() json.RawMessage {
	switch {
	case r.Chat != nil:
		return r.Chat.Format
	case r.Generate != nil:
		return r.Generate.Format
	}
	return nil
}

// Prompt returns the content of the last user message of a chat request,
// the prompt of a generate request, or "".
func (r Request) Prompt() string {
	switch {
	case r.Chat != nil:
		for i := len(r.Chat.Messages) - 1; i >= 0; i-- {
			if r.Chat.Messages[i].Role == "user" {
				return r.Chat.Messages[i].Content
			}
		}
	case r.Generate != nil:
		return r.Generate.Prompt
	}
	return ""
}

// Inputs returns the texts of an embedding request: the "input" string or
// array of /api/embed, or the "prompt" of /api/embeddings. Empty strings are
// dropped from a single-string input, as Ollama does; non-string array
// elements are skipped.
func (r Request) Inputs() []string {
	switch {
	case r.Embed != nil:
		in, _ := embedInputs(r.Embed.Input)
		return in
	case r.Embeddings != nil:
		if r.Embeddings.Prompt == "" {
			return nil
		}
		return []string{r.Embeddings.Prompt}
	}
	return nil
}

// embedInputs converts /api/embed's "input" the way Ollama does; ok is false
// for an invalid input type.
func embedInputs(input any) (in []string, ok bool) {
	switch v := input.(type) {
	case nil:
		return nil, true
	case string:
		if v == "" {
			return nil, true
		}
		return []string{v}, true
	case []string:
		return v, true
	case []any:
		ok = true
		for _, e := range v {
			s, isString := e.(string)
			if !isString {
				ok = false
				continue
			}
			in = append(in, s)
		}
		return in, ok
	}
	return nil, false
}
