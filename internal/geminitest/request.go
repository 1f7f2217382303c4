package geminitest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Request is one request the server received: the raw HTTP parts and, for
// a well-formed body, its decoded form.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
	// Model is the model named by the path ("gemini-2.5-flash"), Action
	// what follows the colon ("generateContent", "streamGenerateContent",
	// "embedContent", "batchEmbedContents").
	Model, Action string
	// Generate is the body of a generateContent or streamGenerateContent
	// request, nil otherwise.
	Generate *GenerateRequest
	// Embeds are the embedding requests of an embedContent (one) or a
	// batchEmbedContents request.
	Embeds []EmbedRequest

	ctx context.Context
}

// Streaming reports whether the request asked for a stream.
func (r *Request) Streaming() bool { return r.Action == "streamGenerateContent" }

// Context is the request's context, done when the client gives up.
func (r *Request) Context() context.Context { return r.ctx }

// LastUserText is the text of the last user content that has text ("" if
// none).
func (r *Request) LastUserText() string {
	if r.Generate == nil {
		return ""
	}
	for i := len(r.Generate.Contents) - 1; i >= 0; i-- {
		c := r.Generate.Contents[i]
		if c.Role != "" && c.Role != "user" {
			continue
		}
		var b strings.Builder
		for _, p := range c.Parts {
			b.WriteString(p.Text)
		}
		if b.Len() > 0 {
			return b.String()
		}
	}
	return ""
}

// Texts are the texts of an embeddings request, in order.
func (r *Request) Texts() []string {
	var out []string
	for _, e := range r.Embeds {
		var b strings.Builder
		if e.Content != nil {
			for _, p := range e.Content.Parts {
				b.WriteString(p.Text)
			}
		}
		out = append(out, b.String())
	}
	return out
}

// parse reads the path and body; a non-nil error is the 400 to answer.
func (r *Request) parse(ep Endpoint) *apiError {
	bad := func(format string, args ...any) *apiError {
		return &apiError{Code: http.StatusBadRequest, Status: "INVALID_ARGUMENT", Message: fmt.Sprintf(format, args...)}
	}
	switch ep {
	case EndpointChat:
		var g GenerateRequest
		if err := json.Unmarshal(r.Body, &g); err != nil {
			return bad("Invalid JSON payload received. %v", err)
		}
		if len(g.Contents) == 0 {
			return bad("* GenerateContentRequest.contents: contents is not specified")
		}
		for i, c := range g.Contents {
			if c.Role != "" && c.Role != "user" && c.Role != "model" {
				return bad("Please use a valid role: user, model. (contents[%d].role %q)", i, c.Role)
			}
			if len(c.Parts) == 0 {
				return bad("* GenerateContentRequest.contents[%d].parts: contents.parts must not be empty.", i)
			}
		}
		if r.Streaming() && !strings.Contains(r.RawQuery, "alt=sse") {
			return bad("geminitest: streamGenerateContent without alt=sse (the JSON array form is not served)")
		}
		r.Generate = &g
	case EndpointEmbed:
		if r.Action == "batchEmbedContents" {
			var b BatchEmbedRequest
			if err := json.Unmarshal(r.Body, &b); err != nil {
				return bad("Invalid JSON payload received. %v", err)
			}
			if len(b.Requests) > MaxBatchEmbed {
				return bad("* BatchEmbedContentsRequest.requests: at most %d requests can be in one batch", MaxBatchEmbed)
			}
			r.Embeds = b.Requests
		} else {
			var e EmbedRequest
			if err := json.Unmarshal(r.Body, &e); err != nil {
				return bad("Invalid JSON payload received. %v", err)
			}
			r.Embeds = []EmbedRequest{e}
		}
		for i, e := range r.Embeds {
			if e.Content == nil || len(e.Content.Parts) == 0 {
				return bad("* BatchEmbedContentsRequest.requests[%d].content: contents is not specified", i)
			}
		}
	}
	return nil
}
