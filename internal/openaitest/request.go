package openaitest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// Request is one request the server received, as recorded by
// [Server.Requests] and passed to [Func]. Treat it as read-only.
type Request struct {
	// Method and Path are the HTTP method and URL path ("/v1/chat/completions").
	Method string
	Path   string
	// RawQuery is the URL query without "?".
	RawQuery string
	// Header is a copy of the request headers (Authorization, Content-Type,
	// Accept ...).
	Header http.Header
	// Body is the request body as sent (JSON for the POST endpoints; nil for
	// an empty body).
	Body json.RawMessage
	// Chat is the parsed body of a POST /v1/chat/completions, nil otherwise
	// or when the body did not parse.
	Chat *openai.ChatCompletionRequest
	// Embedding is the parsed body of a POST /v1/embeddings, nil otherwise
	// or when the body did not parse. Its Input is the decoded JSON value
	// (string, []any ...); see Inputs.
	Embedding *openai.EmbeddingRequest
	// Inputs are the embedding inputs, one string per vector the request
	// asks for ("input" as a string, an array of strings, or token arrays,
	// which are written as their decimal tokens separated by spaces).
	Inputs []string

	ctx context.Context
}

// Context is the request's context: done when the client gives up.
func (r *Request) Context() context.Context {
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}

// Stream reports whether a chat request asked for a streamed (SSE) answer.
func (r *Request) Stream() bool { return r.Chat != nil && r.Chat.Stream }

// IncludeUsage reports whether a streamed chat request set
// stream_options.include_usage.
func (r *Request) IncludeUsage() bool {
	return r.Chat != nil && r.Chat.StreamOptions != nil && r.Chat.StreamOptions.IncludeUsage
}

// Model is the "model" field of a chat or embeddings request.
func (r *Request) Model() string {
	switch {
	case r.Chat != nil:
		return r.Chat.Model
	case r.Embedding != nil:
		return string(r.Embedding.Model)
	}
	return ""
}

// LastUserMessage is the text of the last "user" message of a chat request
// (text parts joined for multi-part content), or "".
func (r *Request) LastUserMessage() string {
	if r.Chat == nil {
		return ""
	}
	for i := len(r.Chat.Messages) - 1; i >= 0; i-- {
		if m := r.Chat.Messages[i]; m.Role == openai.ChatMessageRoleUser {
			return messageText(m)
		}
	}
	return ""
}

func messageText(m openai.ChatCompletionMessage) string {
	if m.Content != "" || len(m.MultiContent) == 0 {
		return m.Content
	}
	var b strings.Builder
	for _, p := range m.MultiContent {
		b.WriteString(p.Text)
	}
	return b.String()
}

var errBadInput = errors.New("'$.input' is invalid. Please check the API reference: " +
	"https://platform.openai.com/docs/api-reference.")

// parseBody fills Chat, Embedding and Inputs for the endpoint. A non-nil
// *apiError is the 400 the real API would answer.
func (r *Request) parseBody(ep Endpoint) *apiError {
	switch ep {
	case EndpointChat:
		var c openai.ChatCompletionRequest
		if err := json.Unmarshal(r.Body, &c); err != nil {
			return invalidJSONError()
		}
		r.Chat = &c
		if c.Model == "" {
			return newAPIError("invalid_request_error", "", "you must provide a model parameter")
		}
		if len(c.Messages) == 0 {
			p := "messages"
			e := newAPIError("invalid_request_error", "empty_array",
				"Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.")
			e.Param = &p
			return e
		}
	case EndpointEmbeddings:
		var e openai.EmbeddingRequest
		if err := json.Unmarshal(r.Body, &e); err != nil {
			return invalidJSONError()
		}
		r.Embedding = &e
		if e.Model == "" {
			return newAPIError("invalid_request_error", "", "you must provide a model parameter")
		}
		var raw struct {
			Input json.RawMessage `json:"input"`
		}
		_ = json.Unmarshal(r.Body, &raw)
		in, err := embeddingInputs(raw.Input)
		if err != nil {
			return newAPIError("invalid_request_error", "", err.Error())
		}
		r.Inputs = in
	}
	return nil
}

// embeddingInputs accepts the four documented shapes of "input": a string,
// an array of strings, an array of tokens, an array of token arrays.
func embeddingInputs(raw json.RawMessage) ([]string, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return nil, errBadInput
		}
		return []string{s}, nil
	}
	var ss []string
	if json.Unmarshal(raw, &ss) == nil {
		if len(ss) == 0 {
			return nil, errBadInput
		}
		for _, x := range ss {
			if x == "" {
				return nil, errBadInput
			}
		}
		return ss, nil
	}
	var toks []int
	if json.Unmarshal(raw, &toks) == nil {
		if len(toks) == 0 {
			return nil, errBadInput
		}
		return []string{joinTokens(toks)}, nil
	}
	var tt [][]int
	if json.Unmarshal(raw, &tt) == nil && len(tt) > 0 {
		out := make([]string, len(tt))
		for i, t := range tt {
			if len(t) == 0 {
				return nil, errBadInput
			}
			out[i] = joinTokens(t)
		}
		return out, nil
	}
	return nil, errBadInput
}

func joinTokens(toks []int) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = strconv.Itoa(t)
	}
	return strings.Join(parts, " ")
}
