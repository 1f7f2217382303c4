package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// maxDetails bounds how many schema violations a reply lists.
const maxDetails = 20

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// isJSON reports whether a Content-Type header names JSON:
// application/json or application/<something>+json, parameters allowed.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// wantsEvents reports whether an Accept header asks for an event stream.
func wantsEvents(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || mt != "text/event-stream" {
			continue
		}
		if q, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(q, 64); err != nil || v <= 0 {
				continue
			}
		}
		return true
	}
	return false
}

// readBody checks the request's content type and reads its body into buf,
// at most limit bytes. It returns a failure to send, or ok.
func readBody(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer, limit int64) (failure, bool) {
	if !isJSON(r.Header.Get("Content-Type")) {
		w.Header().Set("Accept-Post", "application/json")
		return newFailure(http.StatusUnsupportedMediaType, CodeUnsupportedType, "the request body must be JSON (Content-Type: application/json)"), false
	}
	if r.ContentLength > limit {
		return tooLarge(limit), false
	}
	if r.ContentLength > 0 {
		// ReadFrom wants MinRead bytes free to see the end: without them
		// a body of exactly the declared size would double the buffer.
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return tooLarge(limit), false
		}
		return newFailure(http.StatusBadRequest, CodeBadRequest, "the request body could not be read"), false
	}
	return failure{}, true
}

// tooLarge is the 413 for a body over limit bytes. It is made only when
// needed: most requests fit.
func tooLarge(limit int64) failure {
	return newFailure(http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("the request body is larger than %d bytes", limit))
}

// checkObject refuses a body that is not a JSON object before it is
// decoded, with a message about the body rather than the schema: the
// input schema is always an object.
func checkObject(body []byte) (failure, bool) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return newFailure(http.StatusBadRequest, CodeInvalidJSON, "the request body is empty; it must be a JSON object"), false
	}
	if trimmed[0] != '{' {
		if json.Valid(trimmed) {
			return newFailure(http.StatusBadRequest, CodeInvalidRequest, "the request body must be a JSON object"), false
		}
		return syntaxFailure(trimmed), false
	}
	return failure{}, true
}

var printer = message.NewPrinter(language.English)

// violations lists the leaves of a validation error, each with the JSON
// pointer of the value at fault; prefix locates the validated value in
// the body. Messages and paths are bounded (boundText).
func violations(ve *validator.ValidationError, prefix []string) []Detail {
	var out []Detail
	var walk func(e *validator.ValidationError)
	walk = func(e *validator.ValidationError) {
		if len(out) >= maxDetails {
			return
		}
		if len(e.Causes) == 0 {
			path := append(slices.Clip(prefix), e.InstanceLocation...)
			out = append(out, Detail{Path: boundText(pointer(path)), Message: boundText(e.ErrorKind.LocalizedString(printer))})
			return
		}
		_, anyOf := e.ErrorKind.(*kind.AnyOf)
		for _, c := range e.Causes {
			// A nullable field is anyOf [its schema, null]: that the
			// value is not null says nothing useful.
			if t, ok := c.ErrorKind.(*kind.Type); ok && anyOf && len(e.Causes) > 1 && len(t.Want) == 1 && t.Want[0] == "null" {
				continue
			}
			walk(c)
		}
	}
	walk(ve)
	return out
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointer renders path segments as a JSON pointer (RFC 6901).
func pointer(segments []string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(s))
	}
	return b.String()
}
