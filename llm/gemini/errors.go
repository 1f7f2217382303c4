package gemini

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"google.golang.org/genai"

	"github.com/chorus-go/chorus/llm"
)

// Sentinel errors, for errors.Is.
var (
	// ErrBlocked matches a *BlockedError: Google's safety filters blocked
	// the prompt or stopped the answer.
	ErrBlocked = errors.New("gemini: blocked by safety filters")
	// ErrNoAPIKey is returned by New and NewEmbedder when no API key is
	// given or found in the environment.
	ErrNoAPIKey = errors.New("gemini: no API key")
)

// SafetyRating is Google's rating of a prompt or an answer in one harm
// category: HARM_CATEGORY_HARASSMENT, HARM_CATEGORY_HATE_SPEECH,
// HARM_CATEGORY_SEXUALLY_EXPLICIT, HARM_CATEGORY_DANGEROUS_CONTENT ...,
// with the probability NEGLIGIBLE, LOW, MEDIUM or HIGH, and whether this
// rating is what blocked it.
type SafetyRating struct {
	Category    string
	Probability string
	Blocked     bool
}

// BlockedError is a refusal by Google's filters: the prompt was blocked
// (Prompt, promptFeedback.blockReason: SAFETY, PROHIBITED_CONTENT,
// BLOCKLIST, IMAGE_SAFETY, OTHER) or the answer was stopped (finishReason
// SAFETY, RECITATION, PROHIBITED_CONTENT, SPII, BLOCKLIST, IMAGE_SAFETY ...).
// Partial is the answer's text received before it was stopped. It matches
// ErrBlocked; it is not retryable, and a blocked prompt is the caller's
// input's fault (chain.InputError): a chain.Breaker does not count it and
// chain/serve answers it with 400.
type BlockedError struct {
	Model         string
	Prompt        bool
	Reason        string
	Message       string
	SafetyRatings []SafetyRating
	Partial       string
}

// Error says what was blocked and why.
func (e *BlockedError) Error() string {
	what := "answer stopped"
	if e.Prompt {
		what = "prompt blocked"
	}
	s := fmt.Sprintf("gemini %s: %s by safety filters (%s)", e.Model, what, e.Reason)
	var cats []string
	for _, r := range e.SafetyRatings {
		if r.Blocked {
			cats = append(cats, r.Category)
		}
	}
	if len(cats) > 0 {
		s += " in " + strings.Join(cats, ", ")
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Is reports whether target is ErrBlocked.
func (e *BlockedError) Is(target error) bool { return target == ErrBlocked }

// Retryable reports false: the same request is blocked again.
func (e *BlockedError) Retryable() bool { return false }

// InvalidInput reports whether the prompt itself was blocked.
func (e *BlockedError) InvalidInput() bool { return e.Prompt }

func ratings(rs []*genai.SafetyRating) []SafetyRating {
	var out []SafetyRating
	for _, r := range rs {
		if r != nil {
			out = append(out, SafetyRating{Category: string(r.Category), Probability: string(r.Probability), Blocked: r.Blocked})
		}
	}
	return out
}

// mapError turns what the SDK returned into the adapter's error: ctx's
// error when ctx ended, an *llm.Error otherwise (status, Google's status
// name as Code, message, retryability, the server's wait), the key
// scrubbed from every text.
func (c *client) mapError(ctx context.Context, err error, call *callInfo) error {
	return c.red.Error(c.mapErrorText(ctx, err, call))
}

func (c *client) mapErrorText(ctx context.Context, err error, call *callInfo) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("gemini %s: %w", c.model, ctxErr)
	}
	e := &llm.Error{Provider: provider, Model: c.model}
	var apiErr genai.APIError
	switch {
	case errors.As(err, &apiErr):
		e.StatusCode = apiErr.Code
		e.Code = apiErr.Status
		e.Message = apiErr.Message
		if strings.HasPrefix(apiErr.Status, fmt.Sprint(apiErr.Code)) {
			// Not Google's error JSON: the SDK puts the HTTP status line
			// in Status and the body in Message.
			e.Code = ""
			e.Message = bodyMessage(apiErr.Message)
		}
		if e.Message == "" {
			e.Message = http.StatusText(e.StatusCode)
		}
		e.Temporary = temporary(e.StatusCode, e.Code)
		e.Wait = retryDelay(apiErr.Details)
		if call != nil && call.status == e.StatusCode && call.retryAfter > e.Wait {
			e.Wait = call.retryAfter
		}
		e.Err = c.scrubAPIError(apiErr)
	case call != nil && call.status >= 200 && call.status < 300:
		return c.unreadable(err, call.status)
	default:
		e.Temporary = llm.IsNetworkError(err)
		e.Err = err
	}
	return e
}

// temporary reports whether a failure is worth retrying: by its HTTP
// status, or, for an error event inside a stream, by Google's status name.
func temporary(status int, code string) bool {
	switch code {
	case "RESOURCE_EXHAUSTED", "UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED", "ABORTED":
		return true
	case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED", "UNAUTHENTICATED", "NOT_FOUND":
		return false
	}
	return status != 0 && llm.TemporaryStatus(status)
}

// retryDelay reads a google.rpc.RetryInfo detail's retryDelay ("3s",
// "36.5s"), 0 when there is none.
func retryDelay(details []map[string]any) time.Duration {
	for _, d := range details {
		if t, _ := d["@type"].(string); !strings.HasSuffix(t, "google.rpc.RetryInfo") {
			continue
		}
		s, _ := d["retryDelay"].(string)
		if v, err := time.ParseDuration(s); err == nil && v > 0 {
			return v
		}
	}
	return 0
}

// unreadable is the retryable error of a success status whose body could
// not be read or decoded.
func (c *client) unreadable(err error, status int) *llm.Error {
	return &llm.Error{Provider: provider, Model: c.model, StatusCode: status, Temporary: true,
		Message: "unreadable response body: " + truncate(c.red.String(err.Error()), 200), Err: err}
}

// scrubAPIError copies the SDK's error with the key hidden in its message,
// status and details, so that errors.As still finds a genai.APIError.
func (c *client) scrubAPIError(e genai.APIError) error {
	e.Message = c.red.String(e.Message)
	e.Status = c.red.String(e.Status)
	if len(e.Details) > 0 {
		b, _ := json.Marshal(e.Details)
		if s := c.red.String(string(b)); s != string(b) {
			var ds []map[string]any
			if json.Unmarshal([]byte(s), &ds) == nil {
				e.Details = ds
			} else {
				e.Details = nil
			}
		}
	}
	return e
}

// bodyMessage finds a readable message in a body that is not Google's
// error JSON: the title of an HTML page or the first line of text.
func bodyMessage(body string) string {
	b := bytes.TrimSpace([]byte(body))
	if len(b) == 0 {
		return ""
	}
	if b[0] == '<' {
		lower := bytes.ToLower(b)
		if i := bytes.Index(lower, []byte("<title>")); i >= 0 {
			rest := b[i+len("<title>"):]
			if j := bytes.Index(bytes.ToLower(rest), []byte("</title>")); j >= 0 {
				return truncate(strings.TrimSpace(string(rest[:j])), 200)
			}
		}
		return ""
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return truncate(strings.TrimSpace(string(line)), 200)
}

// truncate cuts s to at most n bytes, never inside a rune.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// scrub is the last step of every error the adapter returns.
func (c *client) scrub(err error) error {
	if be, ok := err.(*BlockedError); ok {
		cp := *be
		cp.Message = c.red.String(cp.Message)
		cp.Partial = c.red.String(cp.Partial)
		return &cp
	}
	return c.red.Error(err)
}
