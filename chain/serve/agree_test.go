package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	validator "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chorus-go/chorus/chain/schema"
)

// The Go types whose schemas (as chain/schema builds them) the
// differential tests check bodies against.
type (
	agreeAddr struct {
		Street  string `json:"street" jsonschema:"minLength=1"`
		Zip     string `json:"zip" jsonschema:"pattern=^[0-9]{5}$"`
		Country string `json:"country,omitempty" jsonschema:"enum=FR,enum=DE"`
	}
	agreePerson struct {
		Name   string         `json:"name" jsonschema:"minLength=1,maxLength=20"`
		Age    int            `json:"age" jsonschema:"minimum=0,maximum=150"`
		Email  *string        `json:"email,omitempty" jsonschema:"format=email"`
		Tags   []string       `json:"tags,omitempty" jsonschema:"maxItems=3,uniqueItems=true"`
		Home   *agreeAddr     `json:"home,omitempty"`
		Meta   map[string]int `json:"meta,omitempty"`
		Scores []float64      `json:"scores" jsonschema:"minItems=1"`
		Kind   string         `json:"kind" jsonschema:"enum=a,enum=b"`
		Ratio  float64        `json:"ratio,omitempty" jsonschema:"exclusiveMinimum=0,multipleOf=0.5"`
		N      *int           `json:"n,omitempty"`
	}
	agreeOrder struct {
		ID    string            `json:"id" jsonschema:"format=uuid"`
		Lines []agreeLine       `json:"lines" jsonschema:"minItems=1,maxItems=5"`
		When  string            `json:"when,omitempty" jsonschema:"format=date-time"`
		Notes map[string]string `json:"notes,omitempty"`
		Grid  [][]int           `json:"grid,omitempty"`
	}
	agreeLine struct {
		SKU  string  `json:"sku" jsonschema:"pattern=^[A-Z]{3}-[0-9]+$"`
		Qty  uint    `json:"qty" jsonschema:"minimum=1"`
		Cost float32 `json:"cost,omitempty" jsonschema:"maximum=1e6"`
	}
)

// agreeSchemas are the schemas of the differential tests: built from Go
// types, and written by hand with the keywords a type's JSONSchema method
// may bring.
func agreeSchemas(t testing.TB) []string {
	t.Helper()
	out := []string{
		string(schema.MustNew[agreePerson]().JSON()),
		string(schema.MustNew[agreeOrder]().JSON()),
		string(schema.MustNew[[]int]().JSON()),
		string(schema.MustNew[map[string][]bool]().JSON()),
	}
	return append(out, handSchemas...)
}

var handSchemas = []string{
	// allOf, anyOf, oneOf
	`{"allOf":[{"type":"object","required":["a"]},{"properties":{"a":{"type":"integer","minimum":1}}}]}`,
	`{"type":"object","properties":{"v":{"anyOf":[{"type":"string","maxLength":3},{"type":"integer"},{"type":"null"}]}}}`,
	`{"properties":{"v":{"oneOf":[{"type":"integer"},{"type":"number","minimum":2}]},"a":{"oneOf":[{"type":"array","items":{"type":"integer"}},{"type":"array","maxItems":1}]}}}`,
	`{"type":"object","oneOf":[{"required":["a"],"properties":{"a":{"const":1}}},{"required":["b"]}],"properties":{"i":{"anyOf":[{"type":"array","items":{"anyOf":[{"type":"integer"},{"type":"object","required":["a"]}]}}]}}}`,
	// prefixItems
	`{"type":"object","properties":{"t":{"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],"items":{"type":"boolean"},"minItems":1,"maxItems":4},"u":{"prefixItems":[{"const":"a"}],"items":false}}}`,
	// $ref, $defs
	`{"$defs":{"pos":{"type":"integer","minimum":0},"obj":{"type":"object","properties":{"a":{"$ref":"#/$defs/pos"}}}},"type":"object","properties":{"a":{"$ref":"#/$defs/pos"},"b":{"type":"array","items":{"$ref":"#/$defs/pos"}},"c":{"$ref":"#/$defs/obj"}}}`,
	// if/then/else, not, uniqueItems
	`{"type":"object","properties":{"c":{"if":{"type":"string"},"then":{"minLength":2},"else":{"type":"integer"}},"n":{"not":{"type":"string"}},"u":{"type":"array","uniqueItems":true}}}`,
	// enum and const on objects and arrays
	`{"properties":{"e":{"enum":[{"a":1},[1,2],"x",null]},"c":{"const":{"k":[1.0,2]}},"s":{"type":"string","enum":["x","y"]}}}`,
	// integers written as 3.0, 1e2, -0, huge numbers
	`{"properties":{"i":{"type":"integer"},"j":{"type":["integer","string"]},"m":{"type":"integer","minimum":-0,"maximum":1e2},"big":{"type":"number","maximum":1e308},"e":{"type":"integer","multipleOf":2}}}`,
	// min/maxProperties with additionalProperties as a schema
	`{"type":"object","minProperties":2,"maxProperties":3,"additionalProperties":{"type":"integer"}}`,
	// bounds written as 2.0 and 1e30
	`{"properties":{"a":{"type":"array","minItems":2.0,"maxItems":1e30},"b":{"minProperties":1.0,"maxProperties":2e0},"c":{"type":"array","minItems":1e30}}}`,
	// keys that need escaping in a JSON pointer or a URL fragment
	`{"type":"object","properties":{"a%41":{"uniqueItems":true},"a%zz":{"not":{"type":"null"}},"a/b~c":{"not":{"type":"null"}},"sp ace":{"type":"string"},"#":{"if":true}},"additionalProperties":false}`,
	// true and false schemas
	`{"properties":{"no":false,"yes":true,"a":{"items":false},"b":{"additionalProperties":false}},"additionalProperties":false}`,
	// keywords the walker leaves to the tree
	`{"type":"object","patternProperties":{"^x-":{"type":"string"}},"propertyNames":{"maxLength":5},"dependentRequired":{"a":["b"]},"properties":{"l":{"contains":{"type":"integer"},"maxContains":1}}}`,
	// formats and nullable types
	`{"properties":{"d":{"type":"string","format":"date-time"},"ip":{"format":"ipv4"},"nul":{"type":["string","null"],"minLength":2},"anynul":{"anyOf":[{"type":"integer","minimum":5},{"type":"null"}]}}}`,
	// another draft
	`{"$schema":"http://json-schema.org/draft-07/schema#","properties":{"t":{"items":[{"type":"string"}],"additionalItems":false},"a":{"type":"integer"}}}`,
	// the 2020-12 draft named, unevaluated properties
	`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"a":{"type":"integer"}},"unevaluatedProperties":false,"anyOf":[{"properties":{"b":true}},{"properties":{"c":true}}]}`,
	// a tree of unknown shape
	`{"type":"object","additionalProperties":{"type":"object","additionalProperties":{"type":["integer","array"],"items":{"type":"integer","maximum":3}}}}`,
}

// agreeKeys and agreeValues make the bodies of the differential tests:
// every key with every value.
var agreeKeys = []string{
	"a", "b", "c", "e", "i", "j", "m", "s", "t", "u", "v", "n", "l", "big", "no", "yes", "d", "ip", "nul", "anynul",
	"x-y", "toolong", "a%41", "aA", "a%zz", "a/b~c", "sp ace", "#", "value",
	"name", "age", "email", "tags", "home", "meta", "scores", "kind", "ratio", "id", "lines", "when", "notes", "grid",
}

var agreeValues = []string{
	`0`, `-0`, `1`, `2`, `3.0`, `1e2`, `1E2`, `1.5`, `-1`, `4`, `100e-2`, `1e400`, `1e-400`, `1e2000000`, `0e2000000`,
	`1e99999999999999999999`, `123456789012345678901234567890`, `2.5e-1`,
	`"x"`, `"abc"`, `""`, `"a@b.c"`, `"2024-01-01T00:00:00Z"`, `"1.2.3.4"`, `"FR"`, `"a"`, `"ABC-12"`,
	`null`, `true`, `false`,
	`[]`, `[1,2]`, `[1,1]`, `[1.0,1]`, `["a",1]`, `["a",1,true]`, `["a",1,true,false,true]`, `["a","b","c","d"]`, `[[1,2],[3]]`, `[[4]]`,
	`{}`, `{"a":1}`, `{"a":1.0}`, `{"k":[1.0,2]}`, `{"k":[1,2]}`, `{"a":-1}`, `{"street":"s","zip":"12345"}`, `{"street":"","zip":"1"}`,
	`[{"sku":"ABC-1","qty":1}]`, `[{"sku":"abc","qty":0}]`, `{"x":{"y":[1,2]}}`, `{"x":{"y":[1,9]}}`, `{"x":1}`,
}

// agreeBodies returns the bodies of the differential tests.
func agreeBodies() []string {
	var out []string
	for _, k := range agreeKeys {
		for _, v := range agreeValues {
			out = append(out, fmt.Sprintf(`{%q:%s}`, k, v))
		}
	}
	return append(out, wholeBodies...)
}

// wholeBodies are bodies of several properties, duplicate keys among them.
var wholeBodies = []string{
	`{}`, `[]`, `1`, `"x"`, `null`,
	`{"a":"x","a":1}`, `{"a":1,"a":"x"}`, `{"a":1,"a":1}`, `{"p":1,"p":1}`, `{"p":1,"q":2,"p":3,"r":4}`, `{"p":1,"q":2,"r":3,"p":4}`,
	`{"a":1,"b":2,"c":3,"d":4}`, `{"a":1,"b":"x"}`, `{"b":1}`, `{"a":1,"b":1}`,
	`{"value":[1,2,3]}`, `{"value":[1,2.0,3e0]}`, `{"value":[1,"2"]}`, `{"value":[1],"value":[1,2]}`,
	`{"t":["a",1,true],"t":"x"}`, `{"t":"x","t":["a",1,true]}`,
	`{"name":"Ann","age":30,"scores":[1],"kind":"a"}`,
	`{"name":"Ann","age":30.0,"scores":[1,2.5],"kind":"b","tags":["x","y"],"home":{"street":"s","zip":"12345","country":"FR"},"meta":{"k":1},"ratio":1.5}`,
	`{"name":"","age":-1,"scores":[],"kind":"c","tags":["x","x"],"home":{"zip":"1"},"meta":{"k":"v"},"ratio":0,"extra":1}`,
	`{"name":"Ann","age":30,"scores":[1],"kind":"a","age":"x"}`,
	`{"name":"Ann","age":"x","scores":[1],"kind":"a","age":30}`,
	`{"id":"123e4567-e89b-12d3-a456-426614174000","lines":[{"sku":"ABC-1","qty":2,"cost":1.5}],"when":"2024-01-01T00:00:00Z","grid":[[1,2],[3]]}`,
	`{"id":"nope","lines":[{"sku":"abc","qty":0,"cost":1e7},{"sku":"ABC-1","qty":1.5}],"when":"yesterday","notes":{"a":1}}`,
	`{"a":1,"b":2,"c":3}`, `{"c":1}`, `{"a":{"x-a":1}}`,
	`{"value":[` + strings.Repeat(`"x",`, 30) + `1],"value":[1]}`,
	`{"a":[` + strings.Repeat(`"x",`, 30) + `1],"a":1}`,
	`{"name":"` + strings.Repeat("n", 100) + `","home":{"street":1,"zip":2,"country":3,"a":4,"b":5},"scores":[` + strings.Repeat(`"s",`, 25) + `1],"age":1,"kind":"a"}`,
}

// treeValid is the reference: the whole body unmarshalled into a tree and
// validated against the whole compiled schema. The validator panics on a
// number big.Rat cannot read (exponent beyond a million) where minimum,
// maximum or multipleOf apply: that counts as invalid, as the walk
// reports it.
func treeValid(t testing.TB, s *validator.Schema, body []byte) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the validator panics: %v", r)
		}
	}()
	v, err := validator.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("tree: %v for %s", err, body)
	}
	return s.Validate(v)
}

// compileTree compiles doc the way the tree validation always did.
func compileTree(t testing.TB, doc string) *validator.Schema {
	t.Helper()
	v, err := validator.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := validator.NewCompiler()
	c.DefaultDraft(validator.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(checkURL, v); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(checkURL)
	if err != nil {
		t.Fatalf("compile %s: %v", doc, err)
	}
	return s
}

// agrees checks body against the schema both ways and fails t when the
// verdicts differ, when the walk errs on valid JSON, or when its details
// are more or longer than the bounds.
func agrees(t testing.TB, c *bodyChecker, tree *validator.Schema, doc string, body []byte) {
	t.Helper()
	if !json.Valid(body) {
		return
	}
	details, err := c.check(body)
	if err != nil {
		t.Fatalf("schema %s\nbody %.500s\ncheck error: %v", doc, body, err)
	}
	want := treeValid(t, tree, body)
	if (len(details) == 0) != (want == nil) {
		t.Fatalf("schema %s\nbody %.500s\nwalk: %d details %+v\ntree: %v", doc, body, len(details), details, want)
	}
	if len(details) > maxDetails {
		t.Fatalf("body %.200s: %d details", body, len(details))
	}
	for _, d := range details {
		if len(d.Path) > maxDetailText+3 || len(d.Message) > maxDetailText+3 {
			t.Fatalf("body %.200s: detail too long: %d, %d bytes", body, len(d.Path), len(d.Message))
		}
	}
}

// TestValidateAgreesWithTree: for every schema and every body, the walk
// finds the body valid exactly when the whole-tree validation does.
func TestValidateAgreesWithTree(t *testing.T) {
	bodies := agreeBodies()
	for i, doc := range agreeSchemas(t) {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			c, err := newChecker([]byte(doc))
			if err != nil {
				t.Fatalf("newChecker(%s): %v", doc, err)
			}
			tree := compileTree(t, doc)
			for _, b := range bodies {
				agrees(t, c, tree, doc, []byte(b))
			}
		})
	}
}
