package reliable

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

// CheckTimeout bounds CheckOpenAIModel's request.
const CheckTimeout = 10 * time.Second

// NotFoundError says that a server does not have a configured model, and
// what to do about it. It matches llm.ErrModelNotFound.
type NotFoundError struct {
	Model  string // the model's name
	Server string // the server's address
	Fix    string // what to do, such as "ollama pull llama3.2"
}

// Error says which model is missing, on which server, and the fix.
func (e *NotFoundError) Error() string {
	s := fmt.Sprintf("the server at %s has no model %q", e.Server, e.Model)
	if e.Fix != "" {
		s += " (" + e.Fix + ")"
	}
	return s
}

// Is matches llm.ErrModelNotFound.
func (e *NotFoundError) Is(target error) bool { return target == llm.ErrModelNotFound }

// CheckOpenAIModel asks an OpenAI-compatible server once whether it has
// a model: GET {baseURL}/models/{model}, with the key if there is one,
// through client (nil: http.DefaultClient); baseURL empty is OpenAI's.
// It returns a *NotFoundError when the server answers 404 with an
// OpenAI error body (OpenAI's "model_not_found"), with fix in it. Any
// other answer is nil: the model is there, or the server cannot tell (it
// lacks the endpoint, as some compatible servers do, or failed for a
// moment), and the model's calls find out for themselves.
func CheckOpenAIModel(ctx context.Context, client *http.Client, baseURL, apiKey, model, fix string) error {
	if client == nil {
		client = http.DefaultClient
	}
	if baseURL == "" {
		baseURL = openai.DefaultBaseURL
	}
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(baseURL, "/")+"/models/"+url.PathEscape(model), nil)
	if err != nil {
		return nil // a bad base URL: the adapter says so
	}
	if apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+apiKey)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil
	}
	var body struct {
		Error *struct {
			Code    any    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body) != nil || body.Error == nil {
		return nil // not an OpenAI error: a server without the endpoint
	}
	server := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		server = u.Scheme + "://" + u.Host + u.Path
	}
	return &NotFoundError{Model: model, Server: server, Fix: fix}
}
