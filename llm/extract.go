package llm

import (
	"reflect"

	"github.com/chorus-go/chorus/chain"
)

const extractInstruction = "Extract the information the JSON schema of the response format asks for from the text the user gives. " +
	"Use only what the text says: where it does not give a value, use null if the field allows null, else an empty value. " +
	"Reply with the JSON object only."

// Extractor makes a chain that extracts an Out from a text: Structured
// with the text as the user message and an instruction to extract, from
// the text only, what Out's schema asks for (fields the text lacks come
// back null or empty). Describe the fields with struct tags
// (`jsonschema:"description=..."`) to guide the model. The chain's node is
// named "extract:<Out>".
//
// Extractor panics if the model is nil, an option is invalid or Out has no
// JSON schema; NewExtractor returns the error instead.
func Extractor[Out any](model ChatModel, opts ...StructuredOption) chain.Chain[string, Out] {
	c, err := NewExtractor[Out](model, opts...)
	if err != nil {
		panic(err)
	}
	return c
}

// NewExtractor is Extractor returning an error, matching chain.ErrConfig
// and ErrNilModel or ErrUnsupportedType, instead of panicking.
func NewExtractor[Out any](model ChatModel, opts ...StructuredOption) (chain.Chain[string, Out], error) {
	s, err := newStructured[string, Out](model, adapterSpec{
		kind:        "extract",
		label:       typeLabel(reflect.TypeFor[Out]()),
		instruction: extractInstruction,
	}, opts)
	if err != nil {
		return nil, &configError{"Extractor", err}
	}
	return s, nil
}
