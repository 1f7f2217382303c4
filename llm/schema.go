package llm

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// ErrUnsupportedType matches the error NewSchema and the typed adapters'
// constructors return for a Go type that has no JSON schema: a func, a
// chan, a complex number, an interface, a map whose keys are not strings,
// or a recursive type.
var ErrUnsupportedType = errors.New("llm: type has no JSON schema")

// Schema is the JSON schema of the Go type T, built once by reflection
// (invopop/jsonschema) and compiled once into a validator
// (santhosh-tekuri/jsonschema), so that each reply is checked and decoded
// with no further reflection on the schema. A Schema is immutable and safe
// for concurrent use.
//
// The schema sent to the model is made for OpenAI's strict mode when T
// allows it (see Strict): every object lists every property in "required"
// and has "additionalProperties": false, recursively. A field with
// omitempty or omitzero becomes required but nullable (anyOf [its schema,
// {"type": "null"}]), so a strict model sends null for it, which decodes to
// the zero value; replies are validated against the same schema with those
// fields optional, so a model that leaves them out is accepted too. A
// field tagged `jsonschema:"nullable"` may be null as well. Types strict
// mode cannot describe — a map, json.RawMessage, or a schema keyword strict
// mode refuses such as oneOf or patternProperties — keep their schema and
// are sent with Strict false; replies are still validated.
//
// When T is not a struct (or a map), the schema is the object
// {"value": <schema of T>}, since providers want an object at the root;
// Parse unwraps it.
type Schema[T any] struct {
	name    string
	wire    json.RawMessage
	strict  bool
	wrapped bool
	check   *validator.Schema
}

// NewSchema builds the schema of T. It returns an error matching
// ErrUnsupportedType when T has no JSON schema.
func NewSchema[T any]() (*Schema[T], error) {
	s, err := newSchema[T](nil)
	if err != nil {
		return nil, &configError{"NewSchema", err}
	}
	return s, nil
}

// newSchema builds the schema of T; patch, if not nil, edits the reflected
// schema first (the classifier adds its labels as an enum).
func newSchema[T any](patch func(root *invopopSchema)) (*Schema[T], error) {
	t := reflect.TypeFor[T]()
	b, err := buildSchema(t, patch)
	if err != nil {
		return nil, err
	}
	return &Schema[T]{name: schemaName(t), wire: b.wire, strict: b.strict, wrapped: b.wrapped, check: b.check}, nil
}

// Name returns the schema's name: T's name with characters other than
// letters, digits, '_' and '-' replaced by '_', or "output" for an unnamed
// type.
func (s *Schema[T]) Name() string { return s.name }

// JSON returns the schema as it is sent to the model (a copy).
func (s *Schema[T]) JSON() json.RawMessage { return slices.Clone(s.wire) }

// Strict reports whether the schema suits OpenAI's strict mode.
func (s *Schema[T]) Strict() bool { return s.strict }

// Format returns a new response format that asks a model for JSON of
// this schema, strictly when the schema allows it.
func (s *Schema[T]) Format() *Format {
	return &Format{Type: FormatJSONSchema, Name: s.name, Schema: slices.Clone(s.wire), Strict: s.strict}
}

// Parse turns a model's reply into a T: it takes the JSON out of a
// Markdown code fence (```json ... ```) or surrounding prose if there is
// one, validates it against the schema and decodes it. The error says what
// was wrong in words a model can act on; it never panics.
func (s *Schema[T]) Parse(reply string) (T, error) {
	var zero T
	data := extractJSON(reply)
	doc, err := s.validate(data)
	if err != nil {
		return zero, err
	}
	out, err := s.decode([]byte(data))
	if err != nil {
		// JSON Schema counts 3.0 as an integer, encoding/json does not:
		// write whole numbers as integers and try again.
		if b, ok := wholeNumbers(doc); ok {
			if out, err2 := s.decode(b); err2 == nil {
				return out, nil
			}
		}
		return zero, &replyError{"the JSON does not fit the expected type", err}
	}
	return out, nil
}

func (s *Schema[T]) decode(data []byte) (T, error) {
	if s.wrapped {
		var w struct {
			Value T `json:"value"`
		}
		err := json.Unmarshal(data, &w)
		return w.Value, err
	}
	var out T
	err := json.Unmarshal(data, &out)
	return out, err
}

// schemaName returns the default name of t's schema.
func schemaName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			return r
		}
		return '_'
	}, t.Name())
	name = strings.Trim(name, "_")
	if len(name) > 64 {
		name = name[:64]
	}
	if name == "" {
		return "output"
	}
	return name
}
