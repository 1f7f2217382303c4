package schema_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"
	validator "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chorus-go/chorus/chain/schema"
)

// required returns the "required" list of a schema's root.
func required(t *testing.T, doc json.RawMessage) []string {
	t.Helper()
	var s struct {
		Required []string `json:"required"`
	}
	if err := json.Unmarshal(doc, &s); err != nil {
		t.Fatal(err)
	}
	return s.Required
}

// TestDefaultSchemaKeepsOptionalFieldsOptional is the contract of a
// published schema: what it lists as required is what Decode demands, and
// an omitempty field is neither required nor made nullable.
func TestDefaultSchemaKeepsOptionalFieldsOptional(t *testing.T) {
	s, err := schema.New[invoice]()
	if err != nil {
		t.Fatal(err)
	}
	if s.Strict() {
		t.Error("Strict() without the Strict option")
	}
	if got, want := required(t, s.JSON()), []string{"number", "seller", "lines", "total"}; !slices.Equal(got, want) {
		t.Errorf("required = %q, want %q", got, want)
	}
	if strings.Contains(string(s.JSON()), `"null"`) {
		t.Errorf("the published schema makes fields nullable: %s", s.JSON())
	}
	v, err := s.Decode([]byte(`{"number":"A-17","seller":{"name":"ACME"},"lines":[],"total":7.5}`))
	if err != nil || v.Number != "A-17" {
		t.Fatalf("optional fields left out: %+v, %v", v, err)
	}
	_, err = s.Decode([]byte(`{"number":"A-17","seller":{"name":"ACME"},"lines":[]}`))
	if !errors.Is(err, schema.ErrInvalid) || !strings.Contains(err.Error(), "missing property 'total'") {
		t.Errorf("required field left out: %v", err)
	}
	// What the schema says is what is accepted: null is not a string.
	if _, err := s.Decode([]byte(`{"number":"A-17","seller":{"name":"ACME","vat_id":null},"lines":[],"total":1}`)); err == nil {
		t.Error("null accepted for an optional string the schema does not make nullable")
	}
}

func TestStrictSchemaRequiresEveryFieldButAcceptsOptionalOnesLeftOut(t *testing.T) {
	s := schema.MustNew[invoice](schema.Strict())
	if got := required(t, s.JSON()); len(got) != 7 {
		t.Errorf("strict required = %q, want every property", got)
	}
	if _, err := s.Decode([]byte(`{"number":"A-17","seller":{"name":"ACME"},"lines":[],"total":7.5}`)); err != nil {
		t.Errorf("a strict schema refused a document without its optional fields: %v", err)
	}
}

func TestInvalidError(t *testing.T) {
	s := schema.MustNew[invoice]()
	reply := "Here:\n```json\n{\"number\": 17}\n```"
	_, err := s.Parse(reply)
	var ie *schema.InvalidError
	if !errors.As(err, &ie) || !errors.Is(err, schema.ErrInvalid) {
		t.Fatalf("err = %#v, want an *InvalidError matching ErrInvalid", err)
	}
	if ie.Raw != reply {
		t.Errorf("Raw = %q, want the reply whole", ie.Raw)
	}
	if ie.Reason != "the JSON does not match the schema" {
		t.Errorf("Reason = %q", ie.Reason)
	}
	var ve *validator.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("the validator's error is not reachable with errors.As: %v", err)
	}
	if strings.Contains(err.Error(), "urn:") {
		t.Errorf("the error names the schema's internal URL: %v", err)
	}

	doc := []byte(`{"number": "1",`)
	err = s.Validate(doc)
	if !errors.As(err, &ie) || ie.Raw != string(doc) || !strings.Contains(err.Error(), "the document is not valid JSON") {
		t.Errorf("Validate of broken JSON: %v", err)
	}
	if err := s.Validate([]byte(`{"number":"1","seller":{"name":"S"},"lines":[],"total":0}`)); err != nil {
		t.Errorf("Validate of a valid document: %v", err)
	}
	if err := s.Validate(nil); !errors.Is(err, schema.ErrInvalid) || !strings.Contains(err.Error(), "empty") {
		t.Errorf("Validate(nil) = %v", err)
	}
}

func TestDecodeDoesNotDigJSONOutOfText(t *testing.T) {
	s := schema.MustNew[party]()
	if _, err := s.Decode([]byte("```json\n{\"name\":\"x\"}\n```")); !errors.Is(err, schema.ErrInvalid) {
		t.Errorf("Decode took a fenced document: %v", err)
	}
	if v, err := s.Parse("```json\n{\"name\":\"x\"}\n```"); err != nil || v.Name != "x" {
		t.Errorf("Parse = %+v, %v", v, err)
	}
}

func TestEncodeRoundTrips(t *testing.T) {
	p := schema.MustNew[party]()
	b, err := p.Encode(party{Name: "ACME", VATID: "FR1"})
	if err != nil || string(b) != `{"name":"ACME","vat_id":"FR1"}` {
		t.Errorf("Encode = %s, %v", b, err)
	}
	n := schema.MustNew[int]()
	b, err = n.Encode(42)
	if err != nil || string(b) != `{"value":42}` {
		t.Errorf("Encode(42) = %s, %v", b, err)
	}
	if v, err := n.Decode(b); err != nil || v != 42 {
		t.Errorf("Decode = %v, %v", v, err)
	}
}

func TestEdit(t *testing.T) {
	type label struct {
		Label string `json:"label"`
	}
	s, err := schema.New[label](schema.Strict(), schema.Edit(func(root *jsonschema.Schema) {
		p, _ := root.Properties.Get("label")
		p.Enum = []any{"invoice", "receipt"}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(s.JSON()), `"enum":["invoice","receipt"]`) {
		t.Errorf("JSON = %s", s.JSON())
	}
	if _, err := s.Parse(`{"label":"letter"}`); !errors.Is(err, schema.ErrInvalid) {
		t.Errorf("a label outside the enum: %v", err)
	}
	// Edits work on a copy: a second schema of the type is untouched.
	if strings.Contains(string(schema.MustNew[label]().JSON()), "enum") {
		t.Error("an edit leaked into another schema")
	}
}

func TestInvalidOptions(t *testing.T) {
	if _, err := schema.New[party](schema.Edit(nil)); err == nil || !strings.Contains(err.Error(), "nil function") {
		t.Errorf("Edit(nil): %v", err)
	}
	if _, err := schema.New[party](nil); err == nil {
		t.Error("a nil option was accepted")
	}
	defer func() {
		r := recover()
		if err, ok := r.(error); !ok || !errors.Is(err, schema.ErrUnsupportedType) {
			t.Errorf("MustNew panicked with %v, want ErrUnsupportedType", r)
		}
	}()
	schema.MustNew[chan int]()
}
