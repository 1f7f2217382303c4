package schema_test

import (
	"testing"

	"github.com/chorus-go/chorus/chain/schema"
)

// BenchmarkSchemaBuild is the cost paid once, at construction: reflecting
// the type, making the schema strict and compiling the validator.
func BenchmarkSchemaBuild(b *testing.B) {
	for b.Loop() {
		if _, err := schema.New[invoice](schema.Strict()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse is the reply handling alone: fence stripping, validation
// and decoding.
func BenchmarkParse(b *testing.B) {
	s := schema.MustNew[invoice](schema.Strict())
	for b.Loop() {
		if _, err := s.Parse(validInvoice); err != nil {
			b.Fatal(err)
		}
	}
}
