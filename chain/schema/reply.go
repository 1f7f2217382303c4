package schema

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode"
)

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
