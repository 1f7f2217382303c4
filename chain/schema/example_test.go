package schema_test

import (
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/chain/schema"
)

type Invoice struct {
	Number string  `json:"number" jsonschema:"description=The invoice number"`
	Total  float64 `json:"total" jsonschema:"minimum=0"`
	Note   string  `json:"note,omitempty"`
}

func ExampleNew() {
	s, err := schema.New[Invoice]()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name(), string(s.JSON()))

	// A model's reply, fenced as models like to write it.
	inv, err := s.Parse("```json\n{\"number\": \"A-17\", \"total\": 7.5}\n```")
	fmt.Printf("%+v %v\n", inv, err)

	_, err = s.Decode([]byte(`{"number": "A-18", "total": -1}`))
	fmt.Println(errors.Is(err, schema.ErrInvalid))
	fmt.Println(err)
	// Output:
	// Invoice {"properties":{"number":{"type":"string","description":"The invoice number"},"total":{"type":"number","minimum":0},"note":{"type":"string"}},"additionalProperties":false,"type":"object","required":["number","total"]}
	// {Number:A-17 Total:7.5 Note:} <nil>
	// true
	// the JSON does not match the schema:
	// - at '/total': minimum: got -1, want 0
}

func ExampleStrict() {
	// For a model in OpenAI's strict mode: every property required, the
	// optional ones nullable.
	s := schema.MustNew[Invoice](schema.Strict())
	fmt.Println(s.Strict(), string(s.JSON()))

	// A reply that leaves the optional note out is still accepted.
	inv, err := s.Parse(`{"number": "A-17", "total": 7.5}`)
	fmt.Printf("%+v %v\n", inv, err)
	// Output:
	// true {"properties":{"number":{"type":"string","description":"The invoice number"},"total":{"type":"number","minimum":0},"note":{"anyOf":[{"type":"string"},{"type":"null"}]}},"additionalProperties":false,"type":"object","required":["number","total","note"]}
	// {Number:A-17 Total:7.5 Note:} <nil>
}

func ExampleSchema_Encode() {
	// A type whose schema is not an object travels under "value".
	s := schema.MustNew[[]string]()
	b, _ := s.Encode([]string{"a", "b"})
	fmt.Println(string(b))
	v, err := s.Decode(b)
	fmt.Println(v, err)
	// Output:
	// {"value":["a","b"]}
	// [a b] <nil>
}
