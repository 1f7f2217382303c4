package retrieval

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// EncodeMetadata returns md encoded as JSON (nil metadata is the empty
// object). It refuses what JSON or PostgreSQL's jsonb cannot hold: NaN and
// infinite numbers, channels, functions, and strings or keys with a NUL
// character or invalid UTF-8 (json.Marshal alone would replace it with
// U+FFFD); the error matches ErrInvalidMetadata.
func EncodeMetadata(md map[string]any) ([]byte, error) {
	if len(md) == 0 {
		return []byte("{}"), nil
	}
	raw, err := json.Marshal(md)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidMetadata, err)
	}
	if err := checkEncoded(raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidMetadata, err)
	}
	return raw, nil
}

// NormalizeMetadata returns md as a JSON round trip gives it back (numbers
// as float64, arrays as []any, objects as map[string]any), with the checks
// of EncodeMetadata. Nil metadata becomes an empty map.
func NormalizeMetadata(md map[string]any) (map[string]any, error) {
	raw, err := EncodeMetadata(md)
	if err != nil {
		return nil, err
	}
	return decodeMetadata(raw)
}

// decodeMetadata decodes metadata JSON made by EncodeMetadata.
func decodeMetadata(raw []byte) (map[string]any, error) {
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidMetadata, err)
	}
	return out, nil
}

// checkEncoded refuses JSON made by encoding/json that holds a NUL
// character or came from invalid UTF-8. encoding/json writes a NUL as the
// escape \u0000 and replaces each invalid byte with the escape \ufffd
// (a valid U+FFFD it writes as is), so either escape means the value
// cannot be stored exactly. (A json.Marshaler that writes the escape
// \ufffd itself is refused too.)
func checkEncoded(raw []byte) error {
	if hasEscape(raw, "u0000") {
		return errors.New("a string or key holds a NUL character")
	}
	if hasEscape(raw, "ufffd") {
		return errors.New("a string or key is not valid UTF-8")
	}
	return nil
}

// hasEscape reports whether JSON text holds the escape \ + esc whose
// backslash is not itself escaped.
func hasEscape(raw []byte, esc string) bool {
	s := string(raw)
	for {
		i := strings.Index(s, esc)
		if i < 0 {
			return false
		}
		n := 0 // backslashes just before
		for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
			n++
		}
		if n%2 == 1 {
			return true
		}
		s = s[i+len(esc):]
	}
}

// normalizeJSON returns v as a JSON round trip gives it back, refusing
// NUL characters and invalid UTF-8 as EncodeMetadata does.
func normalizeJSON(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if err := checkEncoded(raw); err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// copyJSON deep-copies a decoded JSON value.
func copyJSON(v any) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = copyJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = copyJSON(e)
		}
		return out
	}
	return v
}

// CloneMetadata returns a deep copy of decoded JSON metadata (maps and
// slices are copied, other values shared).
func CloneMetadata(md map[string]any) map[string]any {
	if md == nil {
		return nil
	}
	return copyJSON(md).(map[string]any)
}
