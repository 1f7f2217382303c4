package llm

import (
	"github.com/chorus-go/chorus/chain/schema"
)

// SchemaFormat returns a new response format that asks a model for JSON
// of s (FormatJSONSchema, named s.Name()), strictly when s is made for
// strict mode (schema.Strict, and s.Strict() reports true).
func SchemaFormat[T any](s *schema.Schema[T]) *Format {
	return &Format{Type: FormatJSONSchema, Name: s.Name(), Schema: s.JSON(), Strict: s.Strict()}
}
