package anthropic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/chorus-go/chorus/llm"
)

// statusOfType is the HTTP status Anthropic documents for each error type:
// an error event inside a stream (whose response status was 200) gets the
// status its type would have had.
var statusOfType = map[string]int{
	"invalid_request_error": http.StatusBadRequest,
	"authentication_error":  http.StatusUnauthorized,
	"billing_error":         http.StatusPaymentRequired,
	"permission_error":      http.StatusForbidden,
	"not_found_error":       http.StatusNotFound,
	"request_too_large":     http.StatusRequestEntityTooLarge,
	"rate_limit_error":      http.StatusTooManyRequests,
	"api_error":             http.StatusInternalServerError,
	"timeout_error":         http.StatusGatewayTimeout,
	"overloaded_error":      529,
}

// mapError turns what the SDK returned into the error the adapter
// returns, scrubbed of the API key: the caller's context error when ctx
// ended, llm.ErrInvalidRequest for a request the SDK refused to send, and
// otherwise an *llm.Error with the status, Anthropic's error type (Code)
// and message, retryability and the retry-after.
func (c *client) mapError(ctx context.Context, err error, call *callInfo) error {
	return c.red.Error(c.mapErrorText(ctx, err, call))
}

func (c *client) mapErrorText(ctx context.Context, err error, call *callInfo) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("anthropic %s: %w", c.model, ctxErr)
	}
	e := &llm.Error{Provider: provider, Model: c.model}
	var apiErr *sdk.Error
	switch {
	case errors.As(err, &apiErr):
		e.Code = string(apiErr.Type())
		e.StatusCode = apiErr.StatusCode
		if e.StatusCode < 400 { // an error event inside a stream
			e.StatusCode = statusOfType[e.Code]
		}
		e.Message = apiErr.Message
		if e.Message == "" {
			e.Message = bodyMessage([]byte(apiErr.RawJSON()))
		}
		if e.Message == "" {
			e.Message = http.StatusText(e.StatusCode)
		}
		e.Temporary = llm.TemporaryStatus(e.StatusCode)
		if apiErr.Response != nil && apiErr.StatusCode >= 400 {
			e.Wait = llm.RetryAfterHeader(apiErr.Response.Header, time.Now())
		}
		e.Err = c.scrubAPIError(apiErr)
	case call != nil && call.status >= 200 && call.status < 300:
		// A success status whose body could not be read or decoded.
		return c.unreadable(err, call.status)
	case strings.Contains(err.Error(), "streaming is required"):
		// The SDK refuses a non-streamed request whose max_tokens may take
		// longer than 10 minutes, when no timeout is set.
		return fmt.Errorf("%w: anthropic %s: %w (use Stream, or WithTimeout)", llm.ErrInvalidRequest, c.model, err)
	default:
		// No answer.
		e.Temporary = llm.IsNetworkError(err)
		e.Err = err
	}
	e.Message = c.redact(e.Message)
	return e
}

// unreadable is the retryable *llm.Error of an answer with a success
// status whose body could not be read or decoded.
func (c *client) unreadable(err error, status int) *llm.Error {
	return &llm.Error{Provider: provider, Model: c.model, StatusCode: status, Temporary: true,
		Message: "unreadable response body: " + truncate(c.redact(err.Error()), 200), Err: err}
}

// scrubAPIError copies an *anthropic.Error with the secrets hidden from its
// body, its request (URL and headers) and its response's headers, so that
// errors.As still finds it and nothing it holds shows the key.
func (c *client) scrubAPIError(e *sdk.Error) *sdk.Error {
	cp := &sdk.Error{}
	_ = cp.UnmarshalJSON([]byte(c.redact(e.RawJSON())))
	cp.StatusCode = e.StatusCode
	cp.RequestID = c.redact(e.RequestID)
	cp.WorkspaceID = c.redact(e.WorkspaceID)
	if e.Request != nil {
		var u *url.URL
		if e.Request.URL != nil {
			cu := *e.Request.URL
			if cu.User != nil {
				cu.User = url.User("redacted")
			}
			cu.RawQuery = c.redact(cu.RawQuery)
			u = &cu
		}
		cp.Request = &http.Request{Method: e.Request.Method, URL: u, Header: c.red.Header(e.Request.Header)}
	}
	if e.Response != nil {
		r := *e.Response
		r.Header = c.red.Header(r.Header)
		r.Body = http.NoBody
		r.Request = cp.Request
		r.TLS = nil
		cp.Response = &r
	}
	return cp
}

// bodyMessage finds a readable message in an error body that is not
// Anthropic's error JSON: "message", "detail" or "error" of a JSON object,
// the title of an HTML page, or the first line of plain text.
func bodyMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	if body[0] == '{' {
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) == nil {
			for _, k := range []string{"message", "detail", "error"} {
				var s string
				if json.Unmarshal(obj[k], &s) == nil && s != "" {
					return s
				}
			}
		}
		return truncate(string(body), 200)
	}
	if body[0] == '<' {
		lower := bytes.ToLower(body)
		if i := bytes.Index(lower, []byte("<title>")); i >= 0 {
			rest := body[i+len("<title>"):]
			if j := bytes.Index(bytes.ToLower(rest), []byte("</title>")); j >= 0 {
				return truncate(strings.TrimSpace(string(rest[:j])), 200)
			}
		}
		return ""
	}
	line, _, _ := bytes.Cut(body, []byte("\n"))
	return truncate(strings.TrimSpace(string(line)), 200)
}

// truncate cuts s to at most n bytes, never inside a rune, and marks the
// cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

func (c *client) redact(s string) string { return c.red.String(s) }
