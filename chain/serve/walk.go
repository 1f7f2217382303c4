package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// Bounds on what an error reply says about an invalid body, so that it
// never echoes the body back.
const (
	maxDetailText = 256 // bytes of one detail's message or path
	maxNames      = 10  // unknown property names listed in one detail
)

var (
	// errEnough stops a walk once it has found maxDetails violations.
	errEnough = errors.New("serve: enough violations")
	// errTree stops a walk that cannot judge the body in one pass (a key
	// whose value broke the schema comes again: the last one counts), so
	// that the body is judged on its tree.
	errTree = errors.New("serve: the body needs its tree")
)

// maxTreeBody is the largest body judged on its tree when an object
// repeats a key whose earlier value broke the schema (the value that
// counts is the last one). A larger body doing that is refused with
// repeatedKeyMessage: building its tree would cost hundreds of times its
// size, and a flood of such bodies would break the memory bound.
const maxTreeBody = 16 << 10

// repeatedKeyMessage is the violation of a body over maxTreeBody that
// repeats a key whose earlier value broke the schema.
const repeatedKeyMessage = "an object repeats a key whose earlier value breaks the schema; a body over 16 KiB must give each key once"

// walker checks one JSON value, token by token, against a node.
type walker struct {
	raw    []byte
	dec    *json.Decoder
	path   []string
	out    []Detail
	frames []frame // the objects and arrays being read, outermost first
}

// frame is an object or array being read.
type frame struct {
	obj     bool
	faulted []string // keys of the object whose values broke the schema
}

// check validates body, which must be valid JSON (json.Valid), against
// the schema. It returns the violations found, at most maxDetails of
// them, and an error only if the body could not be read.
func (c *bodyChecker) check(body []byte) ([]Detail, error) {
	ds, err := walkRaw(body, c.root, nil)
	if errors.Is(err, errTree) && len(body) > maxTreeBody {
		// Judging a large body on its tree would cost hundreds of times
		// its size: refuse the repeated key instead.
		return []Detail{{Message: repeatedKeyMessage}}, nil
	}
	if errors.Is(err, errTree) {
		w := &walker{}
		err = w.validateRaw(c.whole, body)
		ds = w.out
		if errors.Is(err, errEnough) {
			err = nil
		}
	}
	return ds, err
}

// walkRaw checks the JSON value raw against n; path locates raw in the
// body.
func walkRaw(raw []byte, n *node, path []string) ([]Detail, error) {
	w := &walker{raw: raw, dec: json.NewDecoder(bytes.NewReader(raw)), path: slices.Clip(path)}
	w.dec.UseNumber()
	err := w.value(n)
	if errors.Is(err, errEnough) {
		err = nil
		if w.laterDuplicate() {
			err = errTree
		}
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
	return w.validate(n.scalar, v)
}

// object checks an object whose '{' has been read.
func (w *walker) object(n *node) error {
	if !n.allowsType("object") {
		if err := w.skipRest(); err != nil {
			return err
		}
		return w.addKind(&kind.Type{Got: "object", Want: n.types})
	}
	w.frames = append(w.frames, frame{obj: true})
	f := len(w.frames) - 1 // w.frames may grow: index it
	seen := make([]bool, len(n.required))
	var unknown []string
	var keys map[string]bool // for min/maxProperties, which count each key once
	if n.minProps > 0 || n.maxProps != noBound {
		keys = map[string]bool{}
	}
	unknownCount := 0
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if faulted := w.frames[f].faulted; len(faulted) > 0 && slices.Contains(faulted, key) {
			return errTree
		}
		if keys != nil {
			keys[key] = true
		}
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
		before := len(w.out)
		w.path = append(w.path, key)
		err = w.value(sub)
		w.path = w.path[:len(w.path)-1]
		if len(w.out) > before {
			w.frames[f].faulted = append(w.frames[f].faulted, key)
		}
		if err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil { // '}'
		return err
	}
	w.frames = w.frames[:len(w.frames)-1]
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
	if count := len(keys); count < n.minProps {
		return w.addKind(&kind.MinProperties{Got: count, Want: n.minProps})
	}
	if count := len(keys); n.maxProps != noBound && count > n.maxProps {
		return w.addKind(&kind.MaxProperties{Got: count, Want: n.maxProps})
	}
	return nil
}

// array checks an array whose '[' has been read.
func (w *walker) array(n *node) error {
	if !n.allowsType("array") {
		if err := w.skipRest(); err != nil {
			return err
		}
		return w.addKind(&kind.Type{Got: "array", Want: n.types})
	}
	w.frames = append(w.frames, frame{})
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
	w.frames = w.frames[:len(w.frames)-1]
	if i < n.minItems {
		return w.addKind(&kind.MinItems{Got: i, Want: n.minItems})
	}
	if n.maxItems != noBound && i > n.maxItems {
		return w.addKind(&kind.MaxItems{Got: i, Want: n.maxItems})
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
