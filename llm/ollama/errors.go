package ollama

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/ollama/ollama/api"

	"github.com/chorus-go/chorus/llm"
)

// provider is the Provider of every *llm.Error this package returns.
const provider = "ollama"

// failure turns what an api call ended with into the adapter's error. err
// is nil when the call returned nil without a done: true line (a cut
// stream, a stalled stream ended by ctx, an error status with an empty
// body).
//
//   - The caller's context ended: its error, wrapped (not an *llm.Error, so
//     never retried).
//   - An HTTP error status (api.StatusError, api.AuthorizationError): an
//     *llm.Error with that status, retryable per llm.TemporaryStatus, with
//     the Retry-After of a proxy in front of Ollama. 404 is a missing model,
//     with a message that says how to pull it.
//   - No answer (connection refused, reset, EOF before the headers): an
//     *llm.Error with status 0, retryable.
//   - An error line inside a 200 stream (the runner failed after output
//     began): an *llm.Error with status 0, retryable, since Ollama restarts a
//     failed runner on the next request.
//   - A success status whose body cannot be read or decoded (cut,
//     truncated or garbled JSON, an HTML page): an *llm.Error with that
//     status, retryable, "unreadable response body: ...".
//   - No done: true: an *llm.Error wrapping llm.ErrIncompleteStream,
//     retryable; or, when the transport saw an error status with an empty
//     body (a proxy's bare 502), an *llm.Error with that status.
//
// Every text of the error, and of every error it wraps, is scrubbed of
// WithHeader's values and of URL passwords.
func (c *conn) failure(ctx context.Context, err error, x *exchange) error {
	return c.red.Error(c.failureText(ctx, err, x))
}

func (c *conn) failureText(ctx context.Context, err error, x *exchange) error {
	var se api.StatusError
	var pse *api.StatusError
	var ae api.AuthorizationError
	switch {
	case errors.As(err, &se):
		return c.statusError(se.StatusCode, se.Status, se.ErrorMessage, x, err)
	case errors.As(err, &pse) && pse != nil:
		return c.statusError(pse.StatusCode, pse.Status, pse.ErrorMessage, x, err)
	case errors.As(err, &ae):
		msg := "unauthorized"
		if ae.SigninURL != "" {
			msg += ": sign in at " + ae.SigninURL
		}
		return c.statusError(ae.StatusCode, ae.Status, msg, x, err)
	}
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("ollama %s: %w", c.model, cerr)
	}
	if err == nil {
		if x.status >= http.StatusBadRequest {
			return c.statusError(x.status, "", "", x, nil)
		}
		return &llm.Error{Provider: provider, Model: c.model, Temporary: true,
			Message: "the answer ended before the server said it was done (connection cut?)", Err: llm.ErrIncompleteStream}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return c.networkError(ue)
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syn) || errors.As(err, &typ) {
		return c.unreadable(x.status, err.Error(), err)
	}
	// The api client turns an {"error": ...} line of a 200 stream into a
	// plain error with its message, and a line that is not a JSON object
	// into a plain error with the line itself.
	if line := strings.TrimSpace(err.Error()); notAnObject(line) {
		return c.unreadable(x.status, "a line that is not a JSON object: "+truncate(line, 200), err)
	}
	if x.status != 0 && errors.Is(err, io.ErrUnexpectedEOF) {
		// The body broke off while being read.
		return c.unreadable(x.status, err.Error(), err)
	}
	return &llm.Error{Provider: provider, Model: c.model, Temporary: true, Message: err.Error(), Err: err}
}

// unreadable is the retryable *llm.Error of an answer with a success
// status whose body could not be read or decoded: cut, truncated or
// garbled by a proxy, or not JSON at all. The next attempt may well get a
// whole answer. An answer that decodes but whose content is not the JSON
// a format asked for is not one: the model answered, and llm.Structured's
// repair deals with it.
func (c *conn) unreadable(status int, msg string, err error) *llm.Error {
	return &llm.Error{Provider: provider, Model: c.model, StatusCode: status, Temporary: true,
		Message: "unreadable response body: " + msg, Err: err}
}

// notAnObject reports whether a line the api client could not read as a
// JSON object was the body's own text rather than the message of an
// {"error": ...} line: it starts like JSON or HTML, which Ollama's error
// messages never do.
func notAnObject(line string) bool {
	if line == "" {
		return false
	}
	switch line[0] {
	case '{', '[', '"', '<':
		return true
	}
	return false
}

// truncate cuts s to at most n bytes, never inside a rune, and marks the
// cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// statusError is the *llm.Error of an HTTP error status.
func (c *conn) statusError(code int, status, msg string, x *exchange, err error) *llm.Error {
	if msg == "" {
		msg = status
	}
	if msg == "" {
		msg = http.StatusText(code) + " with an empty body"
	}
	if code == http.StatusNotFound {
		msg = c.notFound(msg)
	}
	return &llm.Error{
		Provider:   provider,
		Model:      c.model,
		StatusCode: code,
		Message:    msg,
		Temporary:  llm.TemporaryStatus(code),
		Wait:       x.retryAfter,
		Err:        err,
	}
}

// notFound explains a 404. Ollama answers 404 for a model it does not have
// (chat and generate say "model 'x' not found", embed says `model "x" not
// found, try pulling it first`); its router answers "404 page not found"
// for an endpoint it does not have, which means the host is not Ollama or
// is too old.
func (c *conn) notFound(msg string) string {
	at := ""
	if c.host != "" {
		at = " at " + c.host
	}
	if strings.TrimSpace(msg) == "404 page not found" {
		return fmt.Sprintf("the server%s has no such endpoint (404 page not found): is it an Ollama server, version 0.3 or later?", at)
	}
	return fmt.Sprintf("model %q is not installed on the Ollama server%s: run \"ollama pull %s\"", c.model, at, c.model)
}

// networkError is the *llm.Error of a request that got no answer.
func (c *conn) networkError(ue *url.Error) *llm.Error {
	at := c.host
	if at == "" {
		at = "the server"
	}
	msg := fmt.Sprintf("no answer from %s: %v", at, ue.Err)
	var op *net.OpError
	if errors.As(ue.Err, &op) && op.Op == "dial" {
		msg += " (is the Ollama server running? start it with \"ollama serve\", or set OLLAMA_HOST)"
	}
	return &llm.Error{Provider: provider, Model: c.model, Temporary: llm.IsNetworkError(ue.Err), Message: msg, Err: ue}
}
