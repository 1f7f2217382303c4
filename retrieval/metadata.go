package retrieval

import (
	"encoding/json"
	"fmt"
	"strings"
)

// EncodeMetadata returns md encoded as JSON (nil metadata is the empty
// object). It refuses what JSON or PostgreSQL's jsonb cannot hold: NaN and
// infinite numbers, channels, functions, and strings or keys with a NUL
// character; the error matches ErrInvalidMetadata.
func EncodeMetadata(md map[string]any) ([]byte, error) {
	if len(md) == 0 {
		return []byte("{}"), nil
	}
	raw, err := json.Marshal(md)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidMetadata, err)
	}
	if hasEscapedNUL(raw) {
		return nil, fmt.Errorf("%w: a string or key holds a NUL character", ErrInvalidMetadata)
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

// hasEscapedNUL reports whether JSON text encodes a NUL character: a
// \u0000 escape whose backslash is not itself escaped.
func hasEscapedNUL(raw []byte) bool {
	s := string(raw)
	for {
		i := strings.Index(s, `u0000`)
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
		s = s[i+5:]
	}
}

// normalizeJSON returns v as a JSON round trip gives it back, refusing
// NUL characters as EncodeMetadata does.
func normalizeJSON(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if hasEscapedNUL(raw) {
		return nil, fmt.Errorf("a string or key holds a NUL character")
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
