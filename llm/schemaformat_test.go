package llm_test

import (
	"testing"

	"github.com/chorus-go/chorus/chain/schema"
	"github.com/chorus-go/chorus/internal/schematest"
	"github.com/chorus-go/chorus/llm"
)

func TestSchemaFormat(t *testing.T) {
	strict := llm.SchemaFormat(schema.MustNew[invoice](schema.Strict()))
	if !strict.Strict || strict.Type != llm.FormatJSONSchema || strict.Name != "Invoice" {
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

// checkStrict checks OpenAI's strict-mode rules on every object.
func checkStrict(t *testing.T, doc []byte) { t.Helper(); schematest.CheckStrict(t, doc) }
