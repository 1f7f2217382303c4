package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	invopop "github.com/invopop/jsonschema"
	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// invopopSchema is a reflected schema.
type invopopSchema = invopop.Schema

// built is what build makes of a Go type.
type built struct {
	wire    []byte // published, or sent to the model
	strict  bool
	wrapped bool // the type sits under "value"
	check   *validator.Schema
}

// schemaURL names the schema inside the validator; it appears in no error
// message a model sees.
const schemaURL = "urn:chorus:output"

// build reflects t into a JSON schema, applies the edits, makes it strict
// if asked and if it can, and compiles the validator. It is called once,
// by New.
func build(t reflect.Type, cfg *config) (*built, error) {
	if err := checkType(t, "", nil); err != nil {
		return nil, err
	}
	root, err := reflectSchema(t)
	if err != nil {
		return nil, err
	}
	b := &built{}
	if root.Type != "object" {
		wrapper := reflect.StructOf([]reflect.StructField{{Name: "Value", Type: t, Tag: `json:"value"`}})
		if root, err = reflectSchema(wrapper); err != nil {
			return nil, err
		}
		b.wrapped = true
	}
	root = cloneSchema(root) // what follows edits it; user JSONSchema methods may share theirs
	for _, edit := range cfg.edits {
		edit(root)
	}
	var st strictifier
	if cfg.strict {
		st.visit(root, "")
	}
	check, err := json.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnsupportedType, t, err)
	}
	b.wire, b.strict = check, cfg.strict && st.reason == ""
	if b.strict {
		st.requireAll()
		if b.wire, err = json.Marshal(root); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnsupportedType, t, err)
		}
	}
	if b.check, err = compile(check); err != nil {
		return nil, fmt.Errorf("%w: %s: the schema does not compile: %v", ErrUnsupportedType, t, err)
	}
	return b, nil
}

// reflectSchema runs invopop's reflector, turning its panics (it panics on
// types it cannot describe) into errors.
func reflectSchema(t reflect.Type) (s *invopopSchema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("%w: %s: %v", ErrUnsupportedType, t, r)
		}
	}()
	r := &invopop.Reflector{DoNotReference: true, ExpandedStruct: true, Anonymous: true}
	s = r.ReflectFromType(t)
	if s == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnsupportedType, t)
	}
	s.Version, s.ID, s.Definitions = "", "", nil
	return s, nil
}

func compile(doc []byte) (*validator.Schema, error) {
	v, err := validator.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, err
	}
	c := validator.NewCompiler()
	c.DefaultDraft(validator.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(schemaURL, v); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
}

var (
	customSchemaType = reflect.TypeFor[interface{ JSONSchema() *invopop.Schema }]()
	aliasSchemaType  = reflect.TypeFor[interface{ JSONSchemaAlias() any }]()
)

// checkType finds what invopop cannot describe, or describes as "anything",
// or would recurse into forever (it does not reference, so a recursive type
// would overflow the stack, which no recover catches). path names the field
// for the error; stack holds the types being walked.
func checkType(t reflect.Type, path string, stack []reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(customSchemaType) || t.Implements(aliasSchemaType) {
		return nil // the type gives its own schema
	}
	fail := func(why string) error {
		if path == "" {
			return fmt.Errorf("%w: %s: %s", ErrUnsupportedType, t, why)
		}
		return fmt.Errorf("%w: field %s of type %s: %s", ErrUnsupportedType, strings.TrimPrefix(path, "."), t, why)
	}
	if slices.Contains(stack, t) {
		return fail("recursive types are not supported")
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return nil
	case reflect.Slice, reflect.Array:
		return checkType(t.Elem(), path+"[]", append(stack, t))
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return fail("map keys must be strings")
		}
		return checkType(t.Elem(), path+"[]", append(stack, t))
	case reflect.Struct:
		stack = append(stack, t)
		for i := range t.NumField() {
			f := t.Field(i)
			name, skip := fieldName(f)
			if skip {
				continue
			}
			if err := checkType(f.Type, path+"."+name, stack); err != nil {
				return err
			}
		}
		return nil
	case reflect.Interface:
		return fail("an interface says nothing of its shape; use a concrete type")
	}
	return fail(t.Kind().String() + " values cannot be JSON")
}

// fieldName returns the JSON name of a struct field and whether invopop
// and encoding/json leave it out.
func fieldName(f reflect.StructField) (string, bool) {
	tag := strings.Split(f.Tag.Get("json"), ",")
	if tag[0] == "-" {
		return "", true
	}
	if strings.Split(f.Tag.Get("jsonschema"), ",")[0] == "-" {
		return "", true
	}
	if !f.Anonymous && !f.IsExported() {
		return "", true
	}
	if tag[0] != "" {
		return tag[0], false
	}
	return f.Name, false
}
