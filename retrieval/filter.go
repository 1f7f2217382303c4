package retrieval

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/chorus-go/chorus/internal/abbrev"
)

// Op is the operator of a Filter.
type Op string

// The filter operators.
const (
	OpEq       Op = "eq"       // Key's value equals Value (a JSON scalar)
	OpIn       Op = "in"       // Key's value equals one of Values (JSON scalars)
	OpGt       Op = "gt"       // Key's value is a number > Value
	OpGte      Op = "gte"      // Key's value is a number >= Value
	OpLt       Op = "lt"       // Key's value is a number < Value
	OpLte      Op = "lte"      // Key's value is a number <= Value
	OpContains Op = "contains" // the metadata contains the JSON object Value
	OpAnd      Op = "and"      // every one of Filters holds
	OpOr       Op = "or"       // at least one of Filters holds
)

// Filter is a condition on a document's metadata: a small typed syntax
// tree that every store evaluates the same way. Build filters with Eq, In,
// Gt, Gte, Lt, Lte, Contains, And and Or. Keys name top-level metadata
// fields and are taken literally (a dot is part of the key, not a path).
//
//   - Eq and In compare with JSON scalars: strings, numbers, booleans and
//     nil (which matches a JSON null, not a missing key). Numbers compare
//     by value (1 equals 1.0); a string never equals a number.
//   - Gt, Gte, Lt and Lte hold only for keys whose value is a JSON number.
//   - Contains(object) holds when the metadata contains the object as
//     PostgreSQL's jsonb @> does: every key of object is present with a
//     contained value; an array contains another when every element of
//     the second is contained in some element of the first (so
//     {"tags": ["a", "b"]} contains {"tags": ["a"]}). Use it for nested
//     values.
//   - And() with no filters holds always; Or() with none never.
//
// A filter that cannot be evaluated — an empty key, a map or slice given
// to Eq or In, a NaN or infinite number, a value JSON cannot hold, an
// unknown Op — makes the search fail with an error matching
// ErrInvalidFilter; stores never guess.
type Filter struct {
	Op      Op
	Key     string
	Value   any
	Values  []any
	Filters []Filter
}

// Eq holds when metadata[key] equals the JSON scalar value.
func Eq(key string, value any) Filter { return Filter{Op: OpEq, Key: key, Value: value} }

// In holds when metadata[key] equals one of the JSON scalar values. With
// no values it never holds.
func In(key string, values ...any) Filter { return Filter{Op: OpIn, Key: key, Values: values} }

// Gt holds when metadata[key] is a number greater than n.
func Gt(key string, n float64) Filter { return Filter{Op: OpGt, Key: key, Value: n} }

// Gte holds when metadata[key] is a number greater than or equal to n.
func Gte(key string, n float64) Filter { return Filter{Op: OpGte, Key: key, Value: n} }

// Lt holds when metadata[key] is a number less than n.
func Lt(key string, n float64) Filter { return Filter{Op: OpLt, Key: key, Value: n} }

// Lte holds when metadata[key] is a number less than or equal to n.
func Lte(key string, n float64) Filter { return Filter{Op: OpLte, Key: key, Value: n} }

// Contains holds when the metadata contains object, with the semantics of
// PostgreSQL's jsonb containment (@>). Nested maps and arrays are allowed.
func Contains(object map[string]any) Filter { return Filter{Op: OpContains, Value: object} }

// And holds when every filter holds.
func And(filters ...Filter) Filter { return Filter{Op: OpAnd, Filters: filters} }

// Or holds when at least one filter holds.
func Or(filters ...Filter) Filter { return Filter{Op: OpOr, Filters: filters} }

// maxFilterDepth bounds the nesting of And and Or.
const maxFilterDepth = 32

// Normalize checks f and returns it with every value in its JSON form
// (numbers as float64, objects as map[string]any), ready for Match or for
// rendering to a query. Errors match ErrInvalidFilter.
func (f Filter) Normalize() (Filter, error) { return f.normalize(0) }

func (f Filter) normalize(depth int) (Filter, error) {
	if depth > maxFilterDepth {
		return Filter{}, fmt.Errorf("%w: nested deeper than %d", ErrInvalidFilter, maxFilterDepth)
	}
	bad := func(format string, args ...any) (Filter, error) {
		return Filter{}, fmt.Errorf("%w: %s", ErrInvalidFilter, fmt.Sprintf(format, args...))
	}
	out := Filter{Op: f.Op, Key: f.Key}
	switch f.Op {
	case OpEq, OpIn, OpGt, OpGte, OpLt, OpLte:
		if f.Key == "" {
			return bad("%s: empty key", f.Op)
		}
		if !utf8.ValidString(f.Key) || strings.IndexByte(f.Key, 0) >= 0 {
			return bad("%s: key %s is not valid UTF-8 or holds a NUL character", f.Op, abbrev.Quote(f.Key, 64))
		}
	}
	switch f.Op {
	case OpEq:
		v, err := scalar(f.Value)
		if err != nil {
			return bad("Eq(%s): %v", abbrev.Quote(f.Key, 64), err)
		}
		out.Value = v
	case OpIn:
		out.Values = make([]any, len(f.Values))
		for i, x := range f.Values {
			v, err := scalar(x)
			if err != nil {
				return bad("In(%s) value %d: %v", abbrev.Quote(f.Key, 64), i, err)
			}
			out.Values[i] = v
		}
	case OpGt, OpGte, OpLt, OpLte:
		n, ok := number(f.Value)
		if !ok {
			return bad("%s(%s): %T is not a number", f.Op, abbrev.Quote(f.Key, 64), f.Value)
		}
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return bad("%s(%s): %v is not a finite number", f.Op, abbrev.Quote(f.Key, 64), n)
		}
		out.Value = n
	case OpContains:
		if f.Key != "" {
			return bad("Contains takes no key (got %s): put it in the object", abbrev.Quote(f.Key, 64))
		}
		v, err := normalizeJSON(f.Value)
		if err != nil {
			return bad("Contains: %v", err)
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("Contains: %T is not a JSON object", f.Value)
		}
		out.Value = obj
	case OpAnd, OpOr:
		out.Filters = make([]Filter, len(f.Filters))
		for i, sub := range f.Filters {
			n, err := sub.normalize(depth + 1)
			if err != nil {
				return Filter{}, err
			}
			out.Filters[i] = n
		}
	default:
		return bad("unknown operator %s", abbrev.Quote(string(f.Op), 32))
	}
	return out, nil
}

// scalar returns v's JSON form if it is a JSON scalar.
func scalar(v any) (any, error) {
	n, err := normalizeJSON(v)
	if err != nil {
		return nil, err
	}
	switch n.(type) {
	case nil, string, float64, bool:
		return n, nil
	case map[string]any:
		return nil, fmt.Errorf("%T is a JSON object, not a scalar: use Contains for nested values", v)
	default:
		return nil, fmt.Errorf("%T is a JSON array, not a scalar: use Contains for nested values", v)
	}
}

// number converts Go's numeric types to float64.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int8:
		return float64(n), true
	case int16:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint8:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint64:
		return float64(n), true
	}
	return 0, false
}

// Match reports whether metadata in its JSON form (see NormalizeMetadata)
// satisfies the normalized filter f (see Normalize).
func (f Filter) Match(metadata map[string]any) bool {
	switch f.Op {
	case OpEq:
		v, ok := metadata[f.Key]
		return ok && scalarEqual(v, f.Value)
	case OpIn:
		v, ok := metadata[f.Key]
		if !ok {
			return false
		}
		for _, x := range f.Values {
			if scalarEqual(v, x) {
				return true
			}
		}
		return false
	case OpGt, OpGte, OpLt, OpLte:
		v, ok := metadata[f.Key].(float64)
		n, _ := f.Value.(float64)
		if !ok {
			return false
		}
		switch f.Op {
		case OpGt:
			return v > n
		case OpGte:
			return v >= n
		case OpLt:
			return v < n
		}
		return v <= n
	case OpContains:
		obj, _ := f.Value.(map[string]any)
		return jsonContains(metadata, obj)
	case OpAnd:
		for _, sub := range f.Filters {
			if !sub.Match(metadata) {
				return false
			}
		}
		return true
	case OpOr:
		for _, sub := range f.Filters {
			if sub.Match(metadata) {
				return true
			}
		}
		return false
	}
	return false
}

// scalarEqual compares a decoded JSON value with a JSON scalar: jsonb
// equality, which never equates a scalar with an array or object.
func scalarEqual(v, s any) bool {
	switch v.(type) {
	case nil, string, float64, bool:
		return v == s
	}
	return false
}

// jsonContains is jsonb's @> on decoded JSON values (below the top level,
// where PostgreSQL's special case of an array containing a scalar does not
// apply).
func jsonContains(a, b any) bool {
	switch b := b.(type) {
	case map[string]any:
		am, ok := a.(map[string]any)
		if !ok {
			return false
		}
		for k, bv := range b {
			av, ok := am[k]
			if !ok || !jsonContains(av, bv) {
				return false
			}
		}
		return true
	case []any:
		aa, ok := a.([]any)
		if !ok {
			return false
		}
	next:
		for _, bv := range b {
			for _, av := range aa {
				if jsonContains(av, bv) {
					continue next
				}
			}
			return false
		}
		return true
	}
	return scalarEqual(a, b)
}

// String renders f for messages and logs, such as
// and(eq("lang", "en"), gt("year", 2020)).
func (f Filter) String() string {
	switch f.Op {
	case OpEq, OpGt, OpGte, OpLt, OpLte:
		return fmt.Sprintf("%s(%q, %#v)", f.Op, f.Key, f.Value)
	case OpIn:
		return fmt.Sprintf("in(%q, %#v)", f.Key, f.Values)
	case OpContains:
		return fmt.Sprintf("contains(%#v)", f.Value)
	case OpAnd, OpOr:
		parts := make([]string, len(f.Filters))
		for i, sub := range f.Filters {
			parts[i] = sub.String()
		}
		return string(f.Op) + "(" + strings.Join(parts, ", ") + ")"
	}
	return fmt.Sprintf("Filter{Op: %q}", f.Op)
}
