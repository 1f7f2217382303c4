package llm

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// maxErrorText bounds the validation message sent back to a model.
const maxErrorText = 2000

// replyError says why a reply was refused, in words meant for the model
// that wrote it. Err is the JSON syntax, validation or decoding error.
type replyError struct {
	what string
	err  error
}

func (e *replyError) Error() string {
	if e.err == nil {
		return e.what
	}
	msg := e.err.Error()
	var ve *validator.ValidationError
	if errors.As(e.err, &ve) {
		// The first line names the schema's internal URL; the causes follow.
		if _, rest, ok := strings.Cut(msg, "\n"); ok {
			msg = "\n" + rest
		}
	}
	if len(msg) > maxErrorText {
		msg = truncate(msg, maxErrorText) + " ..."
	}
	if strings.HasPrefix(msg, "\n") {
		return e.what + ":" + msg
	}
	return e.what + ": " + msg
}

func (e *replyError) Unwrap() error { return e.err }

// validate checks that data is one JSON value valid against the schema,
// and returns it decoded (numbers as json.Number).
func (s *Schema[T]) validate(data string) (any, error) {
	if data == "" {
		return nil, &replyError{what: "the reply is empty; it must be a JSON object"}
	}
	v, err := validator.UnmarshalJSON(strings.NewReader(data))
	if err != nil {
		return nil, &replyError{"the reply is not valid JSON", err}
	}
	if err := s.check.Validate(v); err != nil {
		return nil, &replyError{"the JSON does not match the schema", err}
	}
	return v, nil
}

// wholeNumbers rewrites the whole numbers of a decoded document written
// with a fraction or an exponent (3.0, 1e2) as integers (3, 100), and
// returns it encoded, or false if there was none.
func wholeNumbers(doc any) ([]byte, bool) {
	changed := false
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case json.Number:
			if !strings.ContainsAny(string(x), ".eE") {
				return x
			}
			f, err := strconv.ParseFloat(string(x), 64)
			if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<53 {
				return x
			}
			changed = true
			return json.Number(strconv.FormatInt(int64(f), 10))
		}
		return v
	}
	doc = walk(doc)
	if !changed {
		return nil, false
	}
	b, err := json.Marshal(doc)
	return b, err == nil
}

// extractJSON returns the JSON text of a model's reply. A reply that starts
// with '{' or '[' is taken as it is. Otherwise the body of the first
// Markdown code fence is taken (its info string, such as "json", dropped),
// or, without a fence, the text from the first '{' to the last '}'.
func extractJSON(reply string) string {
	s := strings.TrimSpace(reply)
	if s == "" || s[0] == '{' || s[0] == '[' {
		return s
	}
	if i := strings.Index(s, "```"); i >= 0 {
		body := s[i+3:]
		if j := strings.IndexAny(body, "{["); j >= 0 && isInfoString(body[:j]) {
			body = body[j:]
		}
		// A closing fence starts a line; JSON text cannot hold a raw
		// newline inside a string, so "\n```" cannot be part of the JSON.
		if k := strings.Index(body, "\n```"); k >= 0 {
			body = body[:k]
		} else if k := strings.LastIndex(body, "```"); k >= 0 {
			body = body[:k]
		}
		return strings.TrimSpace(body)
	}
	if i, j := strings.IndexByte(s, '{'), strings.LastIndexByte(s, '}'); i >= 0 && j > i {
		return s[i : j+1]
	}
	return s
}

// isInfoString reports whether s, what follows an opening fence, is at
// most one word (such as "json") and blanks.
func isInfoString(s string) bool {
	return !strings.ContainsFunc(strings.TrimSpace(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == '`'
	})
}

// truncate cuts s to at most n bytes, at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
