package oip

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// provider is the Provider of every *llm.Error this package returns.
const provider = "oip"

// Limits on what is read of an answer.
const (
	maxBody      = 256 << 20 // a successful answer: tensors can be large
	maxErrorBody = 64 << 10
)

// call sends one request and returns the status, headers and body of the
// answer. A failure status is not an error here; a transport failure is.
func (m *Model) call(ctx context.Context, method, path string, body []byte) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, m.base+path, rd)
	if err != nil {
		return nil, nil, m.red.Error(fmt.Errorf("oip %s: %w", m.name, err))
	}
	for k, vs := range m.header {
		req.Header[k] = vs
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := m.hc.Do(req)
	if err != nil {
		return nil, nil, m.transportError(ctx, err)
	}
	defer resp.Body.Close()
	limit := int64(maxBody)
	if resp.StatusCode >= 300 {
		limit = maxErrorBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, nil, m.transportError(ctx, err)
	}
	if int64(len(data)) > limit && resp.StatusCode < 300 {
		return nil, nil, &llm.Error{Provider: provider, Model: m.name, StatusCode: resp.StatusCode,
			Message: fmt.Sprintf("the answer is larger than %d MiB", maxBody>>20)}
	}
	return resp, data, nil
}

// send makes a request that expects 200, retried by the model's policy
// (WithMaxRetries, WithTimeout), and returns the answer's body. A failure
// status is an *llm.Error; failed, if not nil, sees it first.
func (m *Model) send(ctx context.Context, method, path string, body []byte, failed func(status int)) ([]byte, error) {
	return retry.Do(ctx, &m.retry, provider, m.name, func(actx context.Context) ([]byte, error) {
		resp, data, err := m.call(actx, method, path, body)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			if failed != nil {
				failed(resp.StatusCode)
			}
			return nil, m.statusError(resp, data, nil)
		}
		return data, nil
	})
}

// transportError is the error of a request that got no (whole) answer.
func (m *Model) transportError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("oip %s: %w", m.name, cerr)
	}
	return m.scrub(&llm.Error{Provider: provider, Model: m.name, Temporary: llm.IsNetworkError(err),
		Message: fmt.Sprintf("no answer from %s: %v", m.host, err), Err: err})
}

// scrub hides WithHeader's values and URL passwords from every text of e
// and of the errors it wraps (a redirect's *url.Error among them): every
// error of the server's making passes through it.
func (m *Model) scrub(e *llm.Error) *llm.Error {
	if out, ok := m.red.Error(e).(*llm.Error); ok {
		return out
	}
	return e
}

// statusError is the *llm.Error of a failure status.
func (m *Model) statusError(resp *http.Response, body []byte, wrapped error) *llm.Error {
	msg := errorMessage(body)
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return m.scrub(&llm.Error{
		Provider:   provider,
		Model:      m.name,
		StatusCode: resp.StatusCode,
		Message:    msg,
		Temporary:  llm.TemporaryStatus(resp.StatusCode),
		Wait:       llm.RetryAfterHeader(resp.Header, time.Now()),
		Err:        wrapped,
	})
}

// errorMessage reads the protocol's error body {"error": "..."}, or the
// first line of a body that is not JSON (a proxy's page).
func errorMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	if body[0] == '{' {
		var e struct {
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && len(e.Error) > 0 {
			var s string
			if json.Unmarshal(e.Error, &s) == nil {
				return s
			}
			return truncate(string(e.Error), 300)
		}
		return truncate(string(body), 300)
	}
	line, _, _ := bytes.Cut(body, []byte("\n"))
	return truncate(strings.TrimSpace(string(line)), 300)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
