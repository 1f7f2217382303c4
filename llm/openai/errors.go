package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/llm"
)

// Sentinel errors, for errors.Is.
var (
	// ErrRefused matches a *RefusalError: the model declined to answer
	// (OpenAI's "refusal" field, sent instead of content under structured
	// outputs).
	ErrRefused = errors.New("openai: model refused")
	// ErrNoAPIKey is returned by New and NewEmbedder when there is neither
	// an API key nor a base URL (a local OpenAI-compatible server may need
	// no key, OpenAI always does).
	ErrNoAPIKey = errors.New("openai: no API key")
)

// RefusalError is returned when the model refused to answer. Refusal is the
// model's explanation.
type RefusalError struct {
	Model   string
	Refusal string
}

// Error says the model refused, and why.
func (e *RefusalError) Error() string {
	return fmt.Sprintf("openai %s: model refused: %s", e.Model, e.Refusal)
}

// Is reports whether target is ErrRefused.
func (e *RefusalError) Is(target error) bool { return target == ErrRefused }

// validationErrors are go-openai's own checks of a request, made before
// anything is sent: they mean the request cannot be sent as it is.
var validationErrors = []error{
	openai.ErrChatCompletionInvalidModel,
	openai.ErrContentFieldsMisused,
	openai.ErrReasoningModelMaxTokensDeprecated,
	openai.ErrReasoningModelLimitationsLogprobs,
	openai.ErrReasoningModelLimitationsOther,
	openai.ErrReasoningEffortUnsupported,
	openai.ErrReasoningToolsRequireResponses,
	openai.ErrReasoningSamplingUnsupported,
	openai.ErrO1BetaLimitationsMessageTypes,
	openai.ErrO1BetaLimitationsTools,
}

// mapError turns what go-openai returned into the error the adapter
// returns: the caller's context error when ctx ended (so errors.Is finds
// context.Canceled or context.DeadlineExceeded), llm.ErrInvalidRequest for
// requests go-openai refused to send, and otherwise an *llm.Error carrying
// the status, the provider's code and message, retryability and the
// Retry-After the transport recorded. The API key is scrubbed from every
// text the error holds.
func (c *client) mapError(ctx context.Context, err error, call *callInfo) error {
	return c.scrub(c.mapErrorText(ctx, err, call))
}

func (c *client) mapErrorText(ctx context.Context, err error, call *callInfo) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("openai %s: %w", c.model, ctxErr)
	}
	for _, v := range validationErrors {
		if errors.Is(err, v) {
			return fmt.Errorf("%w: openai %s: %w", llm.ErrInvalidRequest, c.model, err)
		}
	}
	e := &llm.Error{Provider: provider, Model: c.model}
	var (
		reqErr *openai.RequestError
		apiErr *openai.APIError
	)
	switch {
	case errors.As(err, &reqErr):
		// A failure status with a body that is not OpenAI's error JSON: an
		// HTML page from a proxy, a plain-text or FastAPI-style error from
		// a compatible server.
		e.StatusCode = reqErr.HTTPStatusCode
		e.Temporary = llm.TemporaryStatus(e.StatusCode)
		e.Message = bodyMessage(reqErr.Body)
		if errors.As(reqErr.Err, &apiErr) && apiErr.Message != "" {
			e.Message = apiErr.Message
		}
		if e.Message == "" {
			e.Message = http.StatusText(e.StatusCode)
		}
		cp := *reqErr
		cp.HTTPStatus = c.redact(cp.HTTPStatus)
		cp.Body = c.redactBytes(cp.Body)
		cp.Err = c.scrubAPIError(cp.Err)
		e.Err = &cp
	case errors.As(err, &apiErr):
		// OpenAI's error JSON: a failure status, or an error event inside
		// a stream (status 0).
		e.StatusCode = apiErr.HTTPStatusCode
		e.Code = codeString(apiErr.Code)
		e.Message = apiErr.Message
		e.Temporary = temporaryAPIError(e.StatusCode, apiErr.Type, e.Code)
		e.Err = c.scrubAPIError(apiErr)
	case call != nil && call.status >= 200 && call.status < 300:
		// A success status whose body could not be read or decoded: a
		// proxy cut it, garbled it, or sent a page instead of JSON. The
		// next attempt may well get a whole answer.
		return c.unreadable(err, call.status)
	default:
		// No answer.
		e.Temporary = llm.IsNetworkError(err)
		e.Err = err
	}
	e.Message = c.redact(e.Message)
	if call != nil && e.StatusCode != 0 && call.status == e.StatusCode {
		e.Wait = call.retryAfter
	}
	return e
}

// unreadable is the retryable *llm.Error of an answer with a success
// status whose body could not be read or decoded (cut, truncated or
// garbled JSON, not JSON at all). An answer that decodes but says the
// wrong thing (content that does not fit a schema) is not one: the model
// answered, and llm.Structured's repair deals with it.
func (c *client) unreadable(err error, status int) *llm.Error {
	return &llm.Error{Provider: provider, Model: c.model, StatusCode: status, Temporary: true,
		Message: "unreadable response body: " + truncate(c.redact(err.Error()), 200), Err: err}
}

// temporaryAPIError reports whether an OpenAI error body is worth retrying.
// A 429 for an exhausted quota is not: it lasts until someone pays. An
// error event inside a stream has no status; its type says.
func temporaryAPIError(status int, typ, code string) bool {
	if typ == "insufficient_quota" || code == "insufficient_quota" {
		return false
	}
	if status != 0 {
		return llm.TemporaryStatus(status)
	}
	switch {
	case typ == "server_error", code == "server_error", code == "rate_limit_exceeded",
		typ == "overloaded_error", code == "overloaded":
		return true
	}
	return false
}

// codeString renders OpenAI's "code", which may be a string, a number or
// null (which go-openai decodes as the number 0).
func codeString(code any) string {
	switch c := code.(type) {
	case nil:
		return ""
	case string:
		return c
	case int:
		if c == 0 {
			return ""
		}
		return strconv.Itoa(c)
	case float64:
		return strconv.FormatFloat(c, 'f', -1, 64)
	}
	return fmt.Sprint(code)
}

// bodyMessage finds a readable message in an error body that is not
// OpenAI's error JSON: "message", "detail" or "error" of a JSON object, the
// title of an HTML page, or the first line of plain text.
func bodyMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	if body[0] == '{' {
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) == nil {
			for _, k := range []string{"message", "detail", "error"} {
				if m := jsonMessage(obj[k]); m != "" {
					return m
				}
			}
		}
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

// jsonMessage renders a JSON string as itself, an object by its "message",
// and anything else (FastAPI's list of validation errors) as JSON.
func jsonMessage(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.Message != "" {
		return obj.Message
	}
	return truncate(string(raw), 200)
}

// truncate cuts s to at most n bytes, never inside a rune, and marks the
// cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// scrubAPIError copies an *openai.APIError with the secrets hidden in
// every field the server filled (message, code, type, param, status,
// inner code), so that errors.As still finds it. Other errors are left to
// c.scrub.
func (c *client) scrubAPIError(err error) error {
	apiErr, ok := err.(*openai.APIError)
	if !ok {
		return err
	}
	cp := *apiErr
	cp.Message = c.redact(cp.Message)
	cp.Type = c.redact(cp.Type)
	cp.HTTPStatus = c.redact(cp.HTTPStatus)
	if s, ok := cp.Code.(string); ok {
		cp.Code = c.redact(s)
	}
	if cp.Param != nil {
		p := c.redact(*cp.Param)
		cp.Param = &p
	}
	if cp.InnerError != nil {
		in := *cp.InnerError
		in.Code = c.redact(in.Code)
		cp.InnerError = &in
	}
	return &cp
}

// scrub is the last step of every error the adapter returns: the secrets
// (API key, URL passwords) are hidden from its text and from every error
// it wraps, by the client's llm.Redactor. A *RefusalError is copied with
// its refusal scrubbed.
func (c *client) scrub(err error) error {
	if re, ok := err.(*RefusalError); ok {
		cp := *re
		cp.Refusal = c.redact(cp.Refusal)
		return &cp
	}
	return c.redactor().Error(err)
}

func (c *client) redact(s string) string { return c.redactor().String(s) }

// redactor is the client's redactor: the one of its key, or, with Entra
// ID tokens, the one that knows the latest token too.
func (c *client) redactor() *llm.Redactor {
	if c.tokens != nil {
		if r := c.tokens.red.Load(); r != nil {
			return r
		}
	}
	return c.red
}

func (c *client) redactBytes(b []byte) []byte {
	if s := c.redactor().String(string(b)); s != string(b) {
		return []byte(s)
	}
	return b
}
