package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema is the JSON schema of the Go type T, built once by reflection
// (invopop/jsonschema, with every type inlined: no $ref, $defs, $id or
// $schema) and compiled once into a validator (santhosh-tekuri/jsonschema,
// draft 2020-12, formats asserted), so that each document is checked and
// decoded with no further reflection on the schema. A Schema is immutable
// and safe for concurrent use.
//
// Fields are required unless tagged omitempty or omitzero; struct tags
// `jsonschema:"..."` and `jsonschema_description:"..."` add constraints
// and descriptions, and a type with a JSONSchema method gives its own
// schema (see invopop/jsonschema).
//
// When T is not a struct (or a map), the schema is the object
// {"value": <schema of T>}, since model providers and HTTP APIs want an
// object at the root; Decode, Parse and Encode wrap and unwrap it.
type Schema[T any] struct {
	name    string
	wire    json.RawMessage
	strict  bool
	wrapped bool
	check   *validator.Schema
}

// New builds the schema of T. It returns an error matching
// ErrUnsupportedType when T has no JSON schema, and an error for an
// invalid option.
func New[T any](opts ...Option) (*Schema[T], error) {
	var cfg config
	for _, o := range opts {
		if o == nil {
			cfg.fail(errors.New("schema.New: nil option"))
			continue
		}
		o(&cfg)
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	t := reflect.TypeFor[T]()
	b, err := build(t, &cfg)
	if err != nil {
		return nil, err
	}
	return &Schema[T]{name: nameOf(t), wire: b.wire, strict: b.strict, wrapped: b.wrapped, check: b.check}, nil
}

// MustNew is New that panics instead of returning an error, for schemas
// of types known at compile time, as regexp.MustCompile does.
func MustNew[T any](opts ...Option) *Schema[T] {
	s, err := New[T](opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Name returns the schema's name: T's name with characters other than
// letters, digits, '_' and '-' replaced by '_', or "output" for an unnamed
// type.
func (s *Schema[T]) Name() string { return s.name }

// JSON returns the schema (a copy): the one to publish, or to send to a
// model.
func (s *Schema[T]) JSON() json.RawMessage { return slices.Clone(s.wire) }

// Strict reports whether JSON is made for OpenAI's strict mode: the
// Strict option was given and T allows it.
func (s *Schema[T]) Strict() bool { return s.strict }

// Validate checks that doc is one JSON value valid against the schema.
// The error is an *InvalidError (ErrInvalid).
func (s *Schema[T]) Validate(doc []byte) error {
	_, err := s.validate(doc, "document", func() string { return string(doc) })
	return err
}

// Decode validates doc, one JSON document, against the schema and decodes
// it into a T (unwrapping {"value": ...} when T is not an object). The
// error is an *InvalidError (ErrInvalid) saying what was wrong; Decode
// never panics.
func (s *Schema[T]) Decode(doc []byte) (T, error) {
	return s.parse(doc, "document", func() string { return string(doc) })
}

// Parse turns a model's reply into a T: it takes the JSON out of a
// Markdown code fence (```json ... ```) or surrounding prose if there is
// one, then validates and decodes it as Decode does. The error is an
// *InvalidError (ErrInvalid) that keeps the reply whole in Raw and says
// what was wrong in words a model can act on; Parse never panics.
func (s *Schema[T]) Parse(reply string) (T, error) {
	return s.parse([]byte(extractJSON(reply)), "reply", func() string { return reply })
}

// Encode returns v as a document of the schema: v's JSON, under "value"
// when T is not an object. It is what Decode takes back.
func (s *Schema[T]) Encode(v T) ([]byte, error) {
	if s.wrapped {
		return json.Marshal(struct {
			Value T `json:"value"`
		}{v})
	}
	return json.Marshal(v)
}

// parse validates and decodes data. what names it in errors ("reply",
// "document"); raw gives the text an error keeps, called only on failure.
func (s *Schema[T]) parse(data []byte, what string, raw func() string) (T, error) {
	var zero T
	doc, err := s.validate(data, what, raw)
	if err != nil {
		return zero, err
	}
	out, err := s.decode(data)
	if err != nil {
		// JSON Schema counts 3.0 as an integer, encoding/json does not:
		// write whole numbers as integers and try again.
		if b, ok := wholeNumbers(doc); ok {
			if out, err2 := s.decode(b); err2 == nil {
				return out, nil
			}
		}
		return zero, &InvalidError{Raw: raw(), Reason: "the JSON does not fit the expected type", Err: err}
	}
	return out, nil
}

// validate checks that data is one JSON value valid against the schema,
// and returns it decoded (numbers as json.Number).
func (s *Schema[T]) validate(data []byte, what string, raw func() string) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &InvalidError{Raw: raw(), Reason: "the " + what + " is empty; it must be a JSON object"}
	}
	v, err := validator.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, &InvalidError{Raw: raw(), Reason: "the " + what + " is not valid JSON", Err: err}
	}
	if err := s.check.Validate(v); err != nil {
		return nil, &InvalidError{Raw: raw(), Reason: "the JSON does not match the schema", Err: err}
	}
	return v, nil
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

// nameOf returns the default name of t's schema.
func nameOf(t reflect.Type) string {
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
