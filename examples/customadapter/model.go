package customadapter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Model is a TinyChat model. It implements llm.ChatModel and
// chain.Describer, and is safe for concurrent use.
type Model struct {
	name string
	url  string // the endpoint
	host string
	hc   *http.Client
}

var (
	_ llm.ChatModel   = (*Model)(nil)
	_ chain.Describer = (*Model)(nil)
)

// New returns the model called name on the TinyChat server at baseURL. It
// sends nothing.
func New(baseURL, name string, opts ...Option) (*Model, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("customadapter.New: %q is not an http(s) URL", baseURL)
	}
	if name == "" {
		return nil, fmt.Errorf("customadapter.New: empty model name")
	}
	m := &Model{name: name, url: strings.TrimRight(baseURL, "/") + "/api/complete", host: u.Host, hc: &http.Client{}}
	for _, o := range opts {
		if o != nil {
			o(m)
		}
	}
	return m, nil
}

// Chat sends the conversation and returns the answer. An invalid request
// is refused before sending, with llm's sentinel errors; a failure of the
// server is an *llm.Error; when ctx ends, the error wraps ctx.Err().
func (m *Model) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	if err := req.Validate(); err != nil {
		return llm.Response{}, fmt.Errorf("tinychat: %w", err)
	}
	wreq, err := m.request(&req)
	if err != nil {
		return llm.Response{}, fmt.Errorf("tinychat: %w", err)
	}
	body, err := json.Marshal(wreq)
	if err != nil {
		return llm.Response{}, fmt.Errorf("tinychat: %w: %v", llm.ErrInvalidRequest, err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, m.url, bytes.NewReader(body))
	if err != nil {
		return llm.Response{}, fmt.Errorf("tinychat: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := m.hc.Do(hreq)
	if err != nil {
		return llm.Response{}, m.transportError(ctx, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return llm.Response{}, m.transportError(ctx, err)
	}
	if resp.StatusCode != http.StatusOK {
		return llm.Response{}, m.statusError(resp, data)
	}
	var w wireResponse
	if err := json.Unmarshal(data, &w); err != nil {
		return llm.Response{}, &llm.Error{Provider: provider, Model: m.name, StatusCode: resp.StatusCode, Message: "unreadable answer", Err: err}
	}
	return m.response(&w), nil
}

// Describe names the model in inference graphs: "tinychat:<name>".
func (m *Model) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: provider + ":" + m.name, Detail: m.host}
}
