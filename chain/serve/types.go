package serve

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// combined reports whether n has subschemas to combine.
func (n *node) combined() bool {
	return len(n.allOf)+len(n.anyOf)+len(n.oneOf) > 0
}

// allowsType reports whether n's "type" allows the JSON type t.
func (n *node) allowsType(t string) bool {
	return n.types == nil || slices.Contains(n.types, t)
}

// allows reports whether n's "type" allows the scalar v.
func (n *node) allows(v any) bool {
	if n.types == nil {
		return true
	}
	t := jsonType(v)
	if n.allowsType(t) {
		return true
	}
	num, ok := v.(json.Number)
	return ok && n.allowsType("integer") && isInteger(string(num))
}

// jsonType names the JSON type of a scalar token, as the validator does.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	}
	return "unknown"
}

// isInteger reports whether the JSON number s is a whole number as the
// validator judges it: as math/big.Rat.SetString reads it and IsInt
// answers (3.0 and 1e2 are whole), without the big arithmetic. Like
// SetString, it gives up (false) on an exponent that does not fit an
// int64 and, unless the number is zero, on a power of ten beyond a
// million either way.
func isInteger(s string) bool {
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
	}
	var e int64
	if exp != "" {
		var err error
		if e, err = strconv.ParseInt(strings.TrimPrefix(exp, "+"), 10, 64); err != nil {
			return false
		}
	}
	whole, frac, _ := strings.Cut(strings.TrimPrefix(mant, "-"), ".")
	fracZeros := len(frac) - len(strings.TrimRight(frac, "0"))
	if fracZeros == len(frac) && strings.Trim(whole, "0") == "" {
		return true // zero
	}
	e -= int64(len(frac)) // the number is digits(whole+frac) * 10^e
	if e > 1e6 || e < -1e6 {
		return false
	}
	if e >= 0 {
		return true
	}
	zeros := fracZeros // trailing zeros of the digits
	if fracZeros == len(frac) {
		zeros += len(whole) - len(strings.TrimRight(whole, "0"))
	}
	return int64(zeros) >= -e
}
