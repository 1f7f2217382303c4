package serve

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"

	"github.com/chorus-go/chorus/llm"
)

// schemaDoc is the body of GET <path>/schema.
type schemaDoc struct {
	Request  json.RawMessage `json:"request"`
	Response json.RawMessage `json:"response"`
}

// buildSchemas builds In's schema (to validate requests) and the schema
// document, and says whether Out goes out under "value".
func buildSchemas[In, Out any]() (*llm.Schema[In], []byte, bool, error) {
	in, err := llm.NewSchema[In]()
	if err != nil {
		return nil, nil, false, fmt.Errorf("serve: request type: %w", err)
	}
	out, err := llm.NewSchema[Out]()
	if err != nil {
		return nil, nil, false, fmt.Errorf("serve: response type: %w", err)
	}
	doc, err := json.MarshalIndent(schemaDoc{Request: in.JSON(), Response: out.JSON()}, "", "  ")
	if err != nil {
		return nil, nil, false, fmt.Errorf("serve: schema: %w", err)
	}
	return in, append(doc, '\n'), wrapsValue(reflect.TypeFor[Out](), out.JSON()), nil
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	urlType           = reflect.TypeFor[url.URL]()
)

// wrapsValue reports whether llm.Schema put a value of type t under
// "value", which it does when t's own schema is not an object. Its schema
// then is an object with the single property "value"; a struct encoding/json
// writes field by field, or a map, has its own object schema, even when
// that too has the single property "value".
func wrapsValue(t reflect.Type, schema json.RawMessage) bool {
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(schema, &s) != nil || len(s.Properties) != 1 || s.Properties["value"] == nil {
		return false
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Map:
		return false
	case reflect.Struct:
		pt := reflect.PointerTo(t)
		return t == urlType || t.Implements(jsonMarshalerType) || pt.Implements(jsonMarshalerType) ||
			t.Implements(textMarshalerType) || pt.Implements(textMarshalerType)
	}
	return true
}
