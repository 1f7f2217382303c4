// Package redact hides secrets (API keys, header values, passwords in
// URLs) in texts, errors and headers. It is the one redaction path of the
// model adapters (through llm.Redactor) and of chain/serve, which cannot
// import llm.
package redact

import (
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
)

// Mask replaces a secret.
const Mask = "[redacted]"

// MinLen is the length under which a value is not taken for a secret:
// "EMPTY", "none" and the like, the placeholders local servers are given,
// would garble every text they appear in.
const MinLen = 8

// maxDepth bounds the walk of an error chain; deeper errors are kept only
// as scrubbed text.
const maxDepth = 64

// Sensitive reports whether a header carries credentials, so that its
// values are always masked in logs.
func Sensitive(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Api-Key", "X-Api-Key",
		"Cookie", "Set-Cookie", "X-Auth-Token", "X-Goog-Api-Key":
		return true
	}
	return false
}

// Rebuild copies an error of a type it knows with its texts scrubbed by
// scrub and its wrapped errors replaced by kids (already scrubbed). It
// returns nil for an error it does not know.
type Rebuild func(err error, scrub func(string) string, kids []error) error

// Redactor hides a fixed set of secrets. It is immutable and safe for
// concurrent use; a nil *Redactor hides no secret but still hides the
// passwords of URLs.
type Redactor struct {
	secrets []string // longest first, so that no secret is left half shown
	rebuild Rebuild
}

// New returns a redactor of secrets. Values shorter than MinLen are
// dropped. For each value it also hides its URL-escaped forms and, for an
// "Authorization"-style value ("Bearer sk-..."), the credential after the
// scheme. rebuild, which may be nil, copies the error types it knows.
func New(secrets []string, rebuild Rebuild) *Redactor {
	r := &Redactor{rebuild: rebuild}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if len(s) >= MinLen && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
		}
	}
	for _, s := range secrets {
		add(s)
		if _, cred, ok := strings.Cut(strings.TrimSpace(s), " "); ok {
			add(cred)
		}
	}
	for _, s := range slices.Clone(r.secrets) {
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
	}
	slices.SortStableFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
	return r
}

// Empty reports whether r hides no secret (it still hides URL passwords).
func (r *Redactor) Empty() bool { return r == nil || len(r.secrets) == 0 }

// String returns s with every secret, and the user information of every
// URL in it, replaced by Mask.
func (r *Redactor) String(s string) string {
	if r != nil {
		for _, sec := range r.secrets {
			if strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, Mask)
			}
		}
	}
	return userinfo(s)
}

// userinfo masks "user:password@" after every "://" in s.
func userinfo(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "://")
		if i < 0 {
			break
		}
		start := i + len("://")
		end := start + strings.IndexFunc(rest[start:], func(r rune) bool {
			return strings.ContainsRune("/?#\"'<>` \t\r\n", r)
		})
		if end < start {
			end = len(rest)
		}
		at := strings.LastIndex(rest[start:end], "@")
		b.WriteString(rest[:start])
		if at >= 0 {
			b.WriteString(Mask)
			b.WriteString(rest[start+at : end])
		} else {
			b.WriteString(rest[start:end])
		}
		rest = rest[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(rest)
	return b.String()
}

// Error returns err with every secret hidden from its text and from the
// text of every error it wraps. Errors whose texts hold no secret are kept
// as they are, so errors.Is and errors.As still find the sentinels and
// typed errors of the chain; a *url.Error and the types rebuild knows are
// copied with their texts scrubbed; any other error that shows a secret is
// replaced by one with the scrubbed text, which still matches what the
// original matched by its own Is method or by identity, but no longer
// errors.As its type.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	out, _ := r.err(err, 0)
	return out
}

func (r *Redactor) err(err error, depth int) (error, bool) {
	text := err.Error()
	clean := r.String(text)
	if depth >= maxDepth {
		if clean == text {
			return err, false
		}
		return &scrubbed{msg: clean, orig: err}, true
	}
	var kids []error
	switch x := err.(type) {
	case interface{ Unwrap() error }:
		if k := x.Unwrap(); k != nil {
			kids = []error{k}
		}
	case interface{ Unwrap() []error }:
		kids = slices.DeleteFunc(slices.Clone(x.Unwrap()), func(e error) bool { return e == nil })
	}
	changed := clean != text
	for i, k := range kids {
		nk, c := r.err(k, depth+1)
		kids[i] = nk
		changed = changed || c
	}
	if !changed {
		return err, false
	}
	if ue, ok := err.(*url.Error); ok {
		cp := *ue
		cp.URL = r.String(ue.URL)
		cp.Err = nil
		if len(kids) > 0 {
			cp.Err = kids[0]
		}
		return &cp, true
	}
	if r != nil && r.rebuild != nil {
		if out := r.rebuild(err, r.String, kids); out != nil {
			return out, true
		}
	}
	return &scrubbed{msg: clean, orig: err, kids: kids}, true
}

// scrubbed stands for an error whose text showed a secret.
type scrubbed struct {
	msg  string
	orig error // never shown: only its Is method is asked
	kids []error
}

func (e *scrubbed) Error() string   { return e.msg }
func (e *scrubbed) Unwrap() []error { return e.kids }

// Is reports what the original error's own Is method reports, or whether
// target is the original error.
func (e *scrubbed) Is(target error) bool {
	if x, ok := e.orig.(interface{ Is(error) bool }); ok && x.Is(target) {
		return true
	}
	if target == nil || !reflect.TypeOf(target).Comparable() || reflect.TypeOf(target) != reflect.TypeOf(e.orig) {
		return false
	}
	return e.orig == target
}

// Header returns a copy of h for a log: the values of credential headers
// (Authorization, Cookie, API keys) are Mask, the others are scrubbed of
// secrets.
func (r *Redactor) Header(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		masked := Sensitive(k)
		nv := make([]string, len(vs))
		for i, v := range vs {
			if masked {
				nv[i] = Mask
			} else {
				nv[i] = r.String(v)
			}
		}
		out[r.String(k)] = nv
	}
	return out
}

// FromHeader returns the values of h's credential headers, for New.
func FromHeader(h http.Header) []string {
	var out []string
	for k, vs := range h {
		if Sensitive(k) {
			out = append(out, vs...)
		}
	}
	return out
}
