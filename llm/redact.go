package llm

import (
	"net/http"

	"github.com/chorus-go/chorus/internal/redact"
)

// Redacted is what a Redactor puts in place of a secret.
const Redacted = redact.Mask

// Redactor hides the secrets an adapter holds (its API key, the values of
// the headers it sends) from the texts it returns and logs: every adapter
// passes each error it returns, and everything it logs, through one, so
// hook events and chain/serve (which log and may return those errors)
// never see a secret. Values shorter than 8 bytes ("EMPTY", "none") are
// not taken for secrets. It also masks the user information of URLs
// ("https://user:password@host"). A Redactor is immutable and safe for
// concurrent use; a nil *Redactor hides only URL passwords.
type Redactor struct{ r *redact.Redactor }

// NewRedactor returns a Redactor of secrets: API keys and header values.
// Their URL-escaped forms are hidden too, and for a value such as
// "Bearer sk-...", the credential after the scheme on its own.
func NewRedactor(secrets ...string) *Redactor {
	return &Redactor{r: redact.New(secrets, rebuildError)}
}

// CredentialHeaders returns the values of h's credential headers
// (Authorization, Proxy-Authorization, Api-Key, X-Api-Key, Cookie…), to
// give NewRedactor.
func CredentialHeaders(h http.Header) []string { return redact.FromHeader(h) }

func (r *Redactor) inner() *redact.Redactor {
	if r == nil {
		return nil
	}
	return r.r
}

// String returns s with every secret replaced by Redacted.
func (r *Redactor) String(s string) string { return r.inner().String(s) }

// Error returns err with every secret hidden from its text and from the
// text of every error it wraps, or nil for nil. Errors that show no secret
// are kept as they are, so errors.Is and errors.As still find sentinels
// and typed errors; an *Error and a *url.Error are copied with their texts
// (Code, Message, a URL's query and password) scrubbed, so errors.As still
// finds them; any other error that shows a secret is replaced by one with
// the scrubbed text that still matches what the original matched by its
// own Is method or by identity (errors.Is), but not errors.As of its type:
// adapters copy their client library's error types themselves first.
func (r *Redactor) Error(err error) error { return r.inner().Error(err) }

// Header returns a copy of h fit for a log: the values of credential
// headers are Redacted, the other values scrubbed of secrets.
func (r *Redactor) Header(h http.Header) http.Header { return r.inner().Header(h) }

// rebuildError copies an *Error with its texts scrubbed and its wrapped
// error replaced, for redact.
func rebuildError(err error, scrub func(string) string, kids []error) error {
	e, ok := err.(*Error)
	if !ok {
		return nil
	}
	cp := *e
	cp.Provider = scrub(e.Provider)
	cp.Model = scrub(e.Model)
	cp.Code = scrub(e.Code)
	cp.Message = scrub(e.Message)
	cp.Err = nil
	if len(kids) > 0 {
		cp.Err = kids[0]
	}
	return &cp
}
