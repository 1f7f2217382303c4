// Package schema builds the JSON schema of a Go type, validates JSON
// documents and model replies against it, and decodes them into the type:
//
//	type Invoice struct {
//		Number string  `json:"number" jsonschema:"description=The invoice number"`
//		Total  float64 `json:"total" jsonschema:"minimum=0"`
//		Note   string  `json:"note,omitempty"`
//	}
//
//	s, err := schema.New[Invoice]()
//	if err != nil {
//		return err // schema.ErrUnsupportedType: a func, a chan, an interface...
//	}
//	inv, err := s.Parse("```json\n{\"number\": \"A-17\", \"total\": 7.5}\n```")
//	// inv == Invoice{Number: "A-17", Total: 7.5}
//	_, err = s.Decode([]byte(`{"number": "A-18", "total": -1}`))
//	// errors.Is(err, schema.ErrInvalid): at '/total': minimum: got -1, want 0
//
// (ExampleNew runs it.) The schema is reflected once by
// invopop/jsonschema, every type inlined (no $ref, $defs, $id or $schema),
// and compiled once by santhosh-tekuri/jsonschema, a real validator, so
// each document costs a validation and a json.Unmarshal. A type whose
// schema is not an object is wrapped: {"value": ...}.
//
// By default the schema is the honest description of the type: fields
// tagged omitempty or omitzero are optional, and documents are validated
// against exactly the schema JSON returns, which makes it the one to
// publish (chain/serve does). The Strict option makes the schema sent to
// a model in OpenAI's strict mode, where every property must be required:
// optional fields become required but nullable, while replies that leave
// them out are still accepted.
//
// Failures are typed: New returns errors matching ErrUnsupportedType;
// Validate, Decode and Parse return an *InvalidError (ErrInvalid) that
// keeps the refused text and says what was wrong in words a model can act
// on. This package imports nothing else of Chorus (it is a leaf, under
// chain/ and below llm, tools and chain/serve, which use it); the Chorus
// constructors that build a schema wrap its errors so that they also match
// chain.ErrConfig.
package schema
