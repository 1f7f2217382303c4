package llm_test

import (
	"encoding/json"
	"testing"

	"github.com/chorus-go/chorus/chain/schema"
	"github.com/chorus-go/chorus/llm"
)

func TestSchemaFormat(t *testing.T) {
	strict := llm.SchemaFormat(schema.MustNew[invoice](schema.Strict()))
	if !strict.Strict || strict.Type != llm.FormatJSONSchema || strict.Name != "invoice" {
		t.Errorf("strict Format = %+v", strict)
	}
	checkStrict(t, strict.Schema)

	type scores struct {
		Scores map[string]float64 `json:"scores"`
	}
	// A map cannot be strict: the format says so.
	if f := llm.SchemaFormat(schema.MustNew[scores](schema.Strict())); f.Strict || f.Type != llm.FormatJSONSchema || f.Name != "scores" {
		t.Errorf("Format = %+v", f)
	}
	// Without schema.Strict the format is not strict either.
	if f := llm.SchemaFormat(schema.MustNew[invoice]()); f.Strict {
		t.Errorf("Format = %+v", f)
	}
}

// checkStrict walks a schema and checks OpenAI's strict-mode rules on every
// object.
func checkStrict(t *testing.T, doc []byte) {
	t.Helper()
	var root any
	if err := json.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		m, ok := v.(map[string]any)
		if !ok {
			if list, ok := v.([]any); ok {
				for _, x := range list {
					walk(x, path)
				}
			}
			return
		}
		if m["type"] == "object" {
			if m["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties = %v", path, m["additionalProperties"])
			}
			props, _ := m["properties"].(map[string]any)
			req, _ := m["required"].([]any)
			if len(req) != len(props) {
				t.Errorf("%s: %d required of %d properties", path, len(req), len(props))
			}
		}
		for k, x := range m {
			walk(x, path+"/"+k)
		}
	}
	walk(root, "")
}
