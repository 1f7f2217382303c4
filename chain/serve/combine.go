package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// errNumberRange is the violation recorded when the validator cannot
// compare a number: big.Rat does not parse one whose exponent is beyond a
// million, and the validator panics on it where minimum, maximum or
// multipleOf applies.
const errNumberRange = "a number is too large or too small to be compared with the schema's bounds"

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
	return w.validateRaw(n.whole, raw)
}

// validateRaw checks the JSON value raw with s, on its tree.
func (w *walker) validateRaw(s *validator.Schema, raw []byte) error {
	v, err := validator.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	return w.validate(s, v)
}

// validate checks v, a tree or a scalar, with s and records its
// violations. A panic of the validator is a violation, not a crash.
func (w *walker) validate(s *validator.Schema, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = w.add(errNumberRange)
		}
	}()
	if ve := (*validator.ValidationError)(nil); errors.As(s.Validate(v), &ve) {
		return w.addAll(violations(ve, w.path))
	}
	return nil
}
