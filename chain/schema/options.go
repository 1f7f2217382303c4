package schema

import (
	"errors"

	"github.com/invopop/jsonschema"
)

// Option configures New.
type Option func(*config)

type config struct {
	strict bool
	edits  []func(root *jsonschema.Schema)
	err    error
}

// Strict makes the schema for OpenAI's strict mode (structured outputs)
// when the type allows it: every object lists every property in
// "required" and has "additionalProperties": false, recursively. A field
// with omitempty or omitzero becomes required but nullable (anyOf [its
// schema, {"type": "null"}]), so a strict model sends null for it, which
// decodes to the zero value; documents are validated against the same
// schema with those fields optional, so a model that leaves them out is
// accepted too. A field tagged `jsonschema:"nullable"` may be null as
// well.
//
// Types strict mode cannot describe — a map, json.RawMessage, or a schema
// keyword strict mode refuses such as oneOf or patternProperties — keep
// their schema, and Schema.Strict reports false.
//
// Use Strict only for what is sent to a model in strict mode; a schema
// published to people or other programs (an HTTP API's) should leave
// optional fields optional, as New does without this option.
func Strict() Option {
	return func(c *config) { c.strict = true }
}

// Edit lets fn change the schema reflected from the type before anything
// else is done with it (before Strict's rewriting, before the validator is
// compiled): to list allowed values as an enum, say, or describe a
// property. fn gets a private copy of the schema; the root is always an
// object (see New). A nil fn is an error from New.
func Edit(fn func(root *jsonschema.Schema)) Option {
	return func(c *config) {
		if fn == nil {
			c.fail(errors.New("schema.Edit: nil function"))
			return
		}
		c.edits = append(c.edits, fn)
	}
}

func (c *config) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}
