package llm

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"text/template"

	"github.com/chorus-go/chorus/chain"
)

// StructuredOption configures Structured, Extractor and Classifier.
// Options never panic: a bad value makes the constructor fail.
type StructuredOption func(*structuredConfig)

type structuredConfig struct {
	system         string
	instruction    *string
	tmpl           *template.Template
	repairs        int
	options        Options
	schemaName     string
	schemaInPrompt bool
	err            error
}

// WithSystem sets a system prompt (the model's role, context, house rules)
// that comes before the adapter's own instruction in the system message.
func WithSystem(prompt string) StructuredOption {
	return func(c *structuredConfig) { c.system = prompt }
}

// WithInstruction replaces the adapter's own instruction (for example
// Extractor's "Extract the fields ... Reply with the JSON object only") in
// the system message. An empty instruction leaves it out.
func WithInstruction(text string) StructuredOption {
	return func(c *structuredConfig) { c.instruction = &text }
}

// WithPrompt renders each input into the user message with a text/template
// whose data is the input (for a string input, {{.}} is the text). The
// template is parsed at construction; a parse error, or a field the input
// type does not have, makes the constructor fail (the template is run once
// on a zero input to find out). Without a template a string input is sent
// as it is and any other input as indented JSON.
func WithPrompt(text string) StructuredOption {
	return func(c *structuredConfig) {
		t, err := template.New("prompt").Parse(text)
		if err != nil {
			c.fail(fmt.Errorf("WithPrompt: %w", err))
			return
		}
		c.tmpl = t
	}
}

// WithTemplate is WithPrompt for a template already parsed, for example
// one with its own functions.
func WithTemplate(t *template.Template) StructuredOption {
	return func(c *structuredConfig) {
		if t == nil {
			c.fail(errors.New("WithTemplate: nil template"))
			return
		}
		c.tmpl = t
	}
}

// WithRepairs sets how many times an invalid reply is sent back to the
// model with the validation error before giving up with an *OutputError
// (default 2; 0 never re-asks). A negative n makes the constructor fail.
func WithRepairs(n int) StructuredOption {
	return func(c *structuredConfig) {
		if n < 0 {
			c.fail(fmt.Errorf("WithRepairs: repairs must not be negative, got %d", n))
			return
		}
		c.repairs = n
	}
}

// WithOptions sets the generation settings (temperature, token limit,
// seed...) of every request. Options that Options.Validate refuses make
// the constructor fail.
func WithOptions(o Options) StructuredOption {
	return func(c *structuredConfig) {
		if err := o.Validate(); err != nil {
			c.fail(fmt.Errorf("WithOptions: %w", err))
			return
		}
		c.options = o
	}
}

var schemaNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// WithSchemaName names the schema for providers that want a name (OpenAI:
// letters, digits, '_' and '-', at most 64). The default is the output
// type's name. An invalid name makes the constructor fail.
func WithSchemaName(name string) StructuredOption {
	return func(c *structuredConfig) {
		if !schemaNamePattern.MatchString(name) {
			c.fail(fmt.Errorf("WithSchemaName: %q is not 1 to 64 letters, digits, '_' or '-'", name))
			return
		}
		c.schemaName = name
	}
}

// WithSchemaInPrompt also writes the JSON schema into the system message,
// for models served without support for response formats. Models that
// take Format (OpenAI, Ollama) do not need it.
func WithSchemaInPrompt() StructuredOption {
	return func(c *structuredConfig) { c.schemaInPrompt = true }
}

func (c *structuredConfig) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

func newStructuredConfig(opts []StructuredOption) structuredConfig {
	c := structuredConfig{repairs: 2}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// configError is the error the typed adapters' constructors return (and
// their panicking forms panic with). It matches chain.ErrConfig as well as
// the error it wraps (ErrNilModel, ErrUnsupportedType...).
type configError struct {
	fn  string
	err error
}

func (e *configError) Error() string {
	return "llm." + e.fn + ": " + strings.TrimPrefix(e.err.Error(), "llm: ")
}

func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == chain.ErrConfig }

// isNilModel reports whether m is nil or a typed nil pointer.
func isNilModel(m ChatModel) bool { return m == nil || isNilValue(m) }

// isNilValue reports whether v is nil or a typed nil (pointer, func, map,
// slice, chan).
func isNilValue(v any) bool {
	if v == nil {
		return true
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan, reflect.Interface:
		return r.IsNil()
	}
	return false
}
