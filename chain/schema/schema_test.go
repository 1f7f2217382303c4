package schema_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/invopop/jsonschema"

	"github.com/chorus-go/chorus/chain/schema"
	"github.com/chorus-go/chorus/internal/schematest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestStrictSchemaGolden pins the shape of a strict schema: every property
// required, optional ones nullable, additionalProperties false on every
// object, nested structs and arrays of structs included, no $schema, $id,
// $ref or $defs.
func TestStrictSchemaGolden(t *testing.T) {
	s, err := schema.New[invoice](schema.Strict())
	if err != nil {
		t.Fatal(err)
	}
	if !s.Strict() || s.Name() != "Invoice" {
		t.Errorf("Strict = %v, Name = %q", s.Strict(), s.Name())
	}
	var got bytes.Buffer
	if err := json.Indent(&got, s.JSON(), "", "  "); err != nil {
		t.Fatal(err)
	}
	got.WriteByte('\n')
	path := filepath.Join("testdata", "invoice_strict_schema.json")
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestStrictSchemaGolden -update)", err)
	}
	if diff := cmp.Diff(string(want), got.String()); diff != "" {
		t.Errorf("schema (-golden +got):\n%s", diff)
	}
	for _, word := range []string{`"$schema"`, `"$id"`, `"$ref"`, `"$defs"`} {
		if strings.Contains(got.String(), word) {
			t.Errorf("schema holds %s", word)
		}
	}
	checkStrict(t, s.JSON())
}

// checkStrict checks OpenAI's strict-mode rules on every object.
func checkStrict(t *testing.T, doc []byte) { t.Helper(); schematest.CheckStrict(t, doc) }

func TestSchemaParse(t *testing.T) {
	s, err := schema.New[invoice](schema.Strict())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		reply   string
		want    invoice
		wantErr string
	}{
		{"strict reply with nulls", validInvoice, wantInvoice, ""},
		{"optional fields left out", `{"number":"A-17","seller":{"name":"ACME"},"lines":[{"description":"bolts","quantity":3,"unit_price":2.5}],"total":7.5}`, wantInvoice, ""},
		{"json fence", "```json\n" + validInvoice + "\n```", wantInvoice, ""},
		{"bare fence and prose", "Here it is:\n```\n" + validInvoice + "\n```\nAnything else?", wantInvoice, ""},
		{"prose around", "Sure! " + validInvoice + " Hope that helps.", wantInvoice, ""},
		{"optional values", `{"number":"1","seller":{"name":"S","vat_id":"FR1"},"buyer":{"name":"B"},"lines":[],"total":0,"tags":["x"],"paid":true}`,
			invoice{Number: "1", Seller: party{Name: "S", VATID: "FR1"}, Buyer: &party{Name: "B"}, Lines: []line{}, Tags: []string{"x"}, Paid: true}, ""},
		{"empty", "  ", invoice{}, "the reply is empty"},
		{"not JSON", "I cannot do that.", invoice{}, "not valid JSON"},
		{"truncated", `{"number":"A-17","seller":{`, invoice{}, "not valid JSON"},
		{"trailing garbage", validInvoice + ` {"x":1}`, invoice{}, "not valid JSON"},
		{"wrong type", strings.Replace(validInvoice, `"total":7.5`, `"total":"7.5"`, 1), invoice{}, "at '/total': got string, want number"},
		{"missing field", `{"number":"A-17","seller":{"name":"ACME"},"lines":[]}`, invoice{}, "missing property 'total'"},
		{"unknown field", strings.Replace(validInvoice, `"total":7.5`, `"total":7.5,"currency":"EUR"`, 1), invoice{}, "additional properties 'currency' not allowed"},
		{"nested unknown field", strings.Replace(validInvoice, `"note":null`, `"note":null,"sku":"B1"`, 1), invoice{}, "at '/lines/0'"},
		{"fraction for int", strings.Replace(validInvoice, `"quantity":3`, `"quantity":3.5`, 1), invoice{}, "want integer"},
		{"whole float for int", strings.Replace(validInvoice, `"quantity":3`, `"quantity":3.0`, 1), wantInvoice, ""},
		{"overflow", strings.Replace(validInvoice, `"quantity":3`, `"quantity":1e30`, 1), invoice{}, "does not fit the expected type"},
		{"array at root", `[` + validInvoice + `]`, invoice{}, "want object"},
		{"null", "null", invoice{}, "want object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Parse(tt.reply)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "urn:chorus") {
					t.Errorf("the error names the schema's internal URL: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSchemaUnsupportedTypes(t *testing.T) {
	type recursive struct {
		Name     string      `json:"name"`
		Children []recursive `json:"children"`
	}
	type withFunc struct {
		F func() `json:"f"`
	}
	type withIgnoredFunc struct {
		Name string `json:"name"`
		F    func() `json:"-"`
		g    chan int
	}
	_ = withIgnoredFunc{}.g
	check := func(name string, build func() error, ok bool) {
		t.Run(name, func(t *testing.T) {
			err := build()
			if ok {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if !errors.Is(err, schema.ErrUnsupportedType) {
				t.Fatalf("err = %v, want ErrUnsupportedType", err)
			}
			t.Log(err)
		})
	}
	check("func", func() error { _, err := schema.New[func()](schema.Strict()); return err }, false)
	check("chan", func() error { _, err := schema.New[chan int](schema.Strict()); return err }, false)
	check("complex", func() error { _, err := schema.New[complex128](schema.Strict()); return err }, false)
	check("interface", func() error { _, err := schema.New[any](schema.Strict()); return err }, false)
	check("error interface", func() error { _, err := schema.New[error](schema.Strict()); return err }, false)
	check("int map keys", func() error { _, err := schema.New[map[int]string](schema.Strict()); return err }, false)
	check("struct map keys", func() error { _, err := schema.New[map[party]string](schema.Strict()); return err }, false)
	check("recursive", func() error { _, err := schema.New[recursive](schema.Strict()); return err }, false)
	check("func field", func() error { _, err := schema.New[withFunc](schema.Strict()); return err }, false)
	check("interface field", func() error { _, err := schema.New[struct{ V any }](schema.Strict()); return err }, false)
	check("pointer to func", func() error { _, err := schema.New[*func()](schema.Strict()); return err }, false)
	check("ignored and unexported fields", func() error { _, err := schema.New[withIgnoredFunc](schema.Strict()); return err }, true)
	check("time", func() error { _, err := schema.New[struct{ At time.Time }](schema.Strict()); return err }, true)
	check("pointer to struct", func() error { _, err := schema.New[*invoice](schema.Strict()); return err }, true)
}

func TestSchemaWrapsNonObjects(t *testing.T) {
	s, err := schema.New[[]line](schema.Strict())
	if err != nil {
		t.Fatal(err)
	}
	if !s.Strict() || s.Name() != "output" {
		t.Errorf("Strict = %v, Name = %q", s.Strict(), s.Name())
	}
	checkStrict(t, s.JSON())
	got, err := s.Parse(`{"value":[{"description":"a","quantity":1,"unit_price":1,"note":null}]}`)
	if err != nil || len(got) != 1 || got[0].Description != "a" {
		t.Fatalf("Parse = %+v, %v", got, err)
	}
	n, err := schema.New[int](schema.Strict())
	if err != nil {
		t.Fatal(err)
	}
	if v, err := n.Parse(`{"value": 42}`); err != nil || v != 42 {
		t.Errorf("int: %v, %v", v, err)
	}
	if _, err := n.Parse(`42`); err == nil {
		t.Error("a bare 42 was accepted: the schema asks for {\"value\": ...}")
	}
}

func TestSchemaNotStrict(t *testing.T) {
	type scores struct {
		Scores map[string]float64 `json:"scores"`
	}
	s, err := schema.New[scores](schema.Strict())
	if err != nil {
		t.Fatal(err)
	}
	if s.Strict() {
		t.Errorf("a map is strict: %s", s.JSON())
	}
	if s.Name() != "scores" {
		t.Errorf("Name = %q", s.Name())
	}
	if v, err := s.Parse(`{"scores":{"a":1,"b":0.5}}`); err != nil || v.Scores["b"] != 0.5 {
		t.Errorf("Parse = %+v, %v", v, err)
	}
	if _, err := s.Parse(`{"scores":{"a":"high"}}`); err == nil {
		t.Error("a string score was accepted")
	}
}

func TestSchemaNullableTag(t *testing.T) {
	type v struct {
		Maybe *string `json:"maybe" jsonschema:"nullable"`
	}
	s, err := schema.New[v](schema.Strict())
	if err != nil {
		t.Fatal(err)
	}
	if !s.Strict() || strings.Contains(string(s.JSON()), "oneOf") {
		t.Errorf("nullable tag: strict %v, %s", s.Strict(), s.JSON())
	}
	if _, err := s.Parse(`{"maybe":null}`); err != nil {
		t.Error(err)
	}
	if _, err := s.Parse(`{}`); err == nil {
		t.Error("a required nullable field was left out and accepted")
	}
}

// shared is a type with its own schema, returned from a package variable:
// building a strict schema must not edit it.
type shared struct{ X string }

var sharedSchema = func() *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "object", Properties: jsonschema.NewProperties(), AdditionalProperties: jsonschema.FalseSchema}
	s.Properties.Set("x", &jsonschema.Schema{Type: "string", Description: "kept"})
	return s
}()

func (shared) JSONSchema() *jsonschema.Schema { return sharedSchema }

func TestSchemaDoesNotEditUserSchemas(t *testing.T) {
	type outer struct {
		S shared `json:"s,omitempty"`
	}
	before, _ := json.Marshal(sharedSchema)
	if _, err := schema.New[outer](schema.Strict()); err != nil {
		t.Fatal(err)
	}
	after, _ := json.Marshal(sharedSchema)
	if !bytes.Equal(before, after) {
		t.Errorf("user schema changed:\n%s\n%s", before, after)
	}
}

func TestSchemaIsSafeForConcurrentUse(t *testing.T) {
	s, err := schema.New[invoice](schema.Strict())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for range 8 {
		go func() {
			var err error
			for range 50 {
				if _, e := s.Parse(validInvoice); e != nil {
					err = e
				}
				_, _ = s.Parse(`{"number":1}`)
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
