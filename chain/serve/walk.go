package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// Bounds on what an error reply says about an invalid body, so that it
// never echoes the body back.
const (
	maxDetailText = 256 // bytes of one detail's message or path
	maxNames      = 10  // unknown property names listed in one detail
)

// errEnough stops a walk once it has found maxDetails violations.
var errEnough = errors.New("serve: enough violations")

// walker checks one JSON value, token by token, against a node.
type walker struct {
	dec  *json.Decoder
	path []string
	out  []Detail
}

// check validates body, which must be valid JSON (json.Valid), against
// the schema. It returns the violations found, at most maxDetails of
// them, and an error only if the body could not be read.
func (c *bodyChecker) check(body []byte) ([]Detail, error) {
	return walkRaw(body, c.root, nil)
}

// walkRaw checks the JSON value raw against n; path locates raw in the
// body.
func walkRaw(raw []byte, n *node, path []string) ([]Detail, error) {
	w := &walker{dec: json.NewDecoder(bytes.NewReader(raw)), path: slices.Clip(path)}
	w.dec.UseNumber()
	err := w.value(n)
	if errors.Is(err, errEnough) {
		err = nil
	}
	return w.out, err
}

// add records a violation at the current path.
func (w *walker) add(msg string) error {
	w.out = append(w.out, Detail{Path: boundText(pointer(w.path)), Message: boundText(msg)})
	if len(w.out) >= maxDetails {
		return errEnough
	}
	return nil
}

// addKind records a violation the validator's words describe.
func (w *walker) addKind(k validator.ErrorKind) error {
	return w.add(k.LocalizedString(printer))
}

// addAll records violations found by a sub-walk or the validator.
func (w *walker) addAll(ds []Detail) error {
	for _, d := range ds {
		w.out = append(w.out, d)
		if len(w.out) >= maxDetails {
			return errEnough
		}
	}
	return nil
}

// value checks the next value of the decoder against n.
func (w *walker) value(n *node) error {
	switch {
	case n == nil || n.anything:
		return w.skip()
	case n.boolean != nil: // false: anything would be true
		if err := w.skip(); err != nil {
			return err
		}
		return w.addKind(&kind.FalseSchema{})
	case n.useWhole:
		return w.whole(n)
	case n.combined():
		return w.combined(n)
	}
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return w.object(n)
		}
		return w.array(n)
	default:
		return w.scalar(n, t)
	}
}

// scalar checks a string, number, boolean or null.
func (w *walker) scalar(n *node, v any) error {
	if !n.allows(v) {
		return w.addKind(&kind.Type{Got: jsonType(v), Want: n.types})
	}
	if n.scalar == nil {
		return nil
	}
	if ve := (*validator.ValidationError)(nil); errors.As(n.scalar.Validate(v), &ve) {
		return w.addAll(violations(ve, w.path))
	}
	return nil
}

// object checks an object whose '{' has been read.
func (w *walker) object(n *node) error {
	if !n.allowsType("object") {
		if err := w.addKind(&kind.Type{Got: "object", Want: n.types}); err != nil {
			return err
		}
		return w.skipRest()
	}
	seen := make([]bool, len(n.required))
	var unknown []string
	unknownCount, count := 0, 0
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		count++
		if i := slices.Index(n.required, key); i >= 0 {
			seen[i] = true
		}
		sub, known := n.props[key]
		if !known {
			if n.addlFalse {
				if unknownCount++; len(unknown) < maxNames {
					unknown = append(unknown, boundText(key))
				}
				if err := w.skip(); err != nil {
					return err
				}
				continue
			}
			sub = n.addl
		}
		w.path = append(w.path, key)
		err = w.value(sub)
		w.path = w.path[:len(w.path)-1]
		if err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil { // '}'
		return err
	}
	if unknownCount > 0 {
		msg := (&kind.AdditionalProperties{Properties: unknown}).LocalizedString(printer)
		if more := unknownCount - len(unknown); more > 0 {
			msg += fmt.Sprintf(" (and %d more)", more)
		}
		if err := w.add(msg); err != nil {
			return err
		}
	}
	var missing []string
	for i, ok := range seen {
		if !ok {
			missing = append(missing, n.required[i])
		}
	}
	if len(missing) > 0 {
		if err := w.addKind(&kind.Required{Missing: missing}); err != nil {
			return err
		}
	}
	if count < n.minProps {
		return w.addKind(&kind.MinProperties{Got: count, Want: n.minProps})
	}
	if n.maxProps >= 0 && count > n.maxProps {
		return w.addKind(&kind.MaxProperties{Got: count, Want: n.maxProps})
	}
	return nil
}

// array checks an array whose '[' has been read.
func (w *walker) array(n *node) error {
	if !n.allowsType("array") {
		if err := w.addKind(&kind.Type{Got: "array", Want: n.types}); err != nil {
			return err
		}
		return w.skipRest()
	}
	i := 0
	for ; w.dec.More(); i++ {
		sub := n.items
		if i < len(n.prefix) {
			sub = n.prefix[i]
		}
		w.path = append(w.path, strconv.Itoa(i))
		err := w.value(sub)
		w.path = w.path[:len(w.path)-1]
		if err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil { // ']'
		return err
	}
	if i < n.minItems {
		return w.addKind(&kind.MinItems{Got: i, Want: n.minItems})
	}
	if n.maxItems >= 0 && i > n.maxItems {
		return w.addKind(&kind.MaxItems{Got: i, Want: n.maxItems})
	}
	return nil
}

// combined checks a value against a node with allOf, anyOf or oneOf: the
// value is read whole (its bytes, not its tree) and walked once for the
// node's own keywords and once for each subschema.
func (w *walker) combined(n *node) error {
	var raw json.RawMessage
	if err := w.dec.Decode(&raw); err != nil {
		return err
	}
	own, err := walkRaw(raw, n.self, w.path)
	if err != nil {
		return err
	}
	if err := w.addAll(own); err != nil {
		return err
	}
	for _, sub := range n.allOf {
		ds, err := walkRaw(raw, sub, w.path)
		if err != nil {
			return err
		}
		if err := w.addAll(ds); err != nil {
			return err
		}
	}
	if len(n.anyOf) > 0 {
		var failed [][]Detail
		for _, sub := range n.anyOf {
			ds, err := walkRaw(raw, sub, w.path)
			if err != nil {
				return err
			}
			if len(ds) == 0 {
				failed = nil
				break
			}
			failed = append(failed, ds)
		}
		if err := w.addBranches(failed); err != nil {
			return err
		}
	}
	if len(n.oneOf) > 0 {
		var failed [][]Detail
		var passed []int
		for i, sub := range n.oneOf {
			ds, err := walkRaw(raw, sub, w.path)
			if err != nil {
				return err
			}
			if len(ds) == 0 {
				passed = append(passed, i)
			} else {
				failed = append(failed, ds)
			}
		}
		switch {
		case len(passed) == 0:
			return w.addBranches(failed)
		case len(passed) > 1:
			return w.addKind(&kind.OneOf{Subschemas: passed[:2]})
		}
	}
	return nil
}

// addBranches records why every branch of an anyOf or oneOf failed,
// leaving out a branch that only says the value is not null (a nullable
// field's schema is anyOf [its schema, null]).
func (w *walker) addBranches(failed [][]Detail) error {
	for _, ds := range failed {
		if len(failed) > 1 && len(ds) == 1 && strings.HasSuffix(ds[0].Message, ", want null") {
			continue
		}
		if err := w.addAll(ds); err != nil {
			return err
		}
	}
	return nil
}

// whole checks a value with the validator on its tree, for a node that
// uses keywords the walker does not know.
func (w *walker) whole(n *node) error {
	var raw json.RawMessage
	if err := w.dec.Decode(&raw); err != nil {
		return err
	}
	v, err := validator.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	if ve := (*validator.ValidationError)(nil); errors.As(n.whole.Validate(v), &ve) {
		return w.addAll(violations(ve, w.path))
	}
	return nil
}

// skip reads the next value without looking at it.
func (w *walker) skip() error {
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
		return w.skipRest()
	}
	return nil
}

// skipRest reads the rest of an object or array whose opening delimiter
// has been read.
func (w *walker) skipRest() error {
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

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

// isInteger reports whether the JSON number s is a whole number, as JSON
// Schema counts them (3.0 is one).
func isInteger(s string) bool {
	if !strings.ContainsAny(s, ".eE") {
		return true
	}
	mant, exp, _ := strings.Cut(strings.ToLower(s), "e")
	if e, err := strconv.Atoi(exp); exp != "" && (err != nil || e > 1000 || e < -1000) {
		// An exponent this large would cost a big.Rat megabytes: decide
		// from its sign.
		return strings.TrimLeft(strings.ReplaceAll(strings.TrimLeft(mant, "-"), ".", ""), "0") == "" || !strings.HasPrefix(exp, "-")
	}
	r, ok := new(big.Rat).SetString(s)
	return ok && r.IsInt()
}

// boundText cuts s to maxDetailText bytes, so that no error reply echoes
// a large part of the body.
func boundText(s string) string {
	if len(s) <= maxDetailText {
		return s
	}
	n := maxDetailText
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "..."
}
