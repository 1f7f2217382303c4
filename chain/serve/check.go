package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"strings"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// checkURL names the request schema inside the validator; it appears in
// no error message.
const checkURL = "urn:chorus:serve:request"

// bodyChecker validates request bodies against the input schema without
// building the body's tree. It walks the body token by token (see walk),
// checking objects and arrays itself (type, properties, required,
// additionalProperties, items, prefixItems, min/maxItems,
// min/maxProperties, allOf, anyOf, oneOf) and handing each scalar, one at
// a time, to the real validator (santhosh-tekuri/jsonschema) compiled from
// that part of the schema, for the keywords that apply to strings and
// numbers (minLength, pattern, format, minimum, enum...). So the memory a
// check takes is the nesting depth of the body times a small constant,
// not the body's tree, and it stops after maxDetails violations.
//
// A part of the schema that uses a keyword it does not know (a $ref,
// uniqueItems, if/then/else, not, patternProperties...), or enum or const
// on an object or array, is checked by the real validator on that value's
// tree: exact, but as costly as it ever was, for that value only. The
// schemas chain/schema builds from Go types use none of them unless a
// type gives its own schema.
type bodyChecker struct {
	root  *node
	whole *validator.Schema // the whole schema, for a body judged on its tree
}

// noBound is the value of maxItems and maxProperties when there is none.
const noBound = -1

// draft2020 is the $schema of the draft the walker implements; a part of
// the schema naming another is checked on its tree.
const draft2020 = "https://json-schema.org/draft/2020-12/schema"

// node is one compiled subschema.
type node struct {
	ptr     string // JSON pointer in the schema, for errors of compilation
	boolean *bool  // the schema is true or false

	types []string // "type", nil for any

	props     map[string]*node
	required  []string
	addl      *node // additionalProperties as a schema; nil allows any
	addlFalse bool
	minProps  int
	maxProps  int // noBound: none

	items    *node // nil allows any
	prefix   []*node
	minItems int
	maxItems int // noBound: none

	allOf, anyOf, oneOf []*node
	self                *node // n without allOf, anyOf and oneOf

	scalar     *validator.Schema // the keywords for scalars, nil if none
	enumConst  bool              // scalar holds enum or const, which apply to containers too
	whole      *validator.Schema // the full subschema, for fallback
	useWhole   bool              // a keyword this bodyChecker does not know: validate the value's tree
	anything   bool              // no assertion at all: skip the value
	hasKeyword bool
}

// Keywords the bodyChecker handles itself.
var structural = map[string]bool{
	"type": true, "properties": true, "required": true, "additionalProperties": true,
	"items": true, "prefixItems": true, "minItems": true, "maxItems": true,
	"minProperties": true, "maxProperties": true, "allOf": true, "anyOf": true, "oneOf": true,
}

// Keywords the real validator checks on scalars; enum and const on
// objects and arrays too.
var scalarKeywords = map[string]bool{
	"minLength": true, "maxLength": true, "pattern": true, "format": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true,
	"multipleOf": true, "enum": true, "const": true,
	"contentEncoding": true, "contentMediaType": true,
}

// Keywords that assert nothing.
var annotations = map[string]bool{
	"title": true, "description": true, "default": true, "examples": true, "$comment": true,
	"deprecated": true, "readOnly": true, "writeOnly": true, "$id": true,
	"$anchor": true, "$defs": true, "definitions": true,
}

// newChecker compiles doc, the request schema.
func newChecker(doc []byte) (*bodyChecker, error) {
	v, err := validator.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, err
	}
	c := validator.NewCompiler()
	c.DefaultDraft(validator.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(checkURL, v); err != nil {
		return nil, err
	}
	whole, err := c.Compile(checkURL) // also checks the schema is valid
	if err != nil {
		return nil, err
	}
	root, err := compileNode(c, v, "")
	if err != nil {
		return nil, err
	}
	return &bodyChecker{root: root, whole: whole}, nil
}

func compileNode(c *validator.Compiler, v any, ptr string) (*node, error) {
	n := &node{ptr: ptr, maxProps: noBound, maxItems: noBound}
	if b, ok := v.(bool); ok {
		n.boolean = &b
		n.anything = b
		return n, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema at %q is not an object", ptr)
	}
	scalar := map[string]any{}
	for k, kv := range m {
		switch {
		case annotations[k]:
		case k == "$schema" && (kv == draft2020 || kv == draft2020+"#"):
		case structural[k]:
			n.hasKeyword = true
		case scalarKeywords[k]:
			n.hasKeyword = true
			scalar[k] = kv
			if k == "enum" || k == "const" {
				n.enumConst = true
			}
		default:
			n.hasKeyword = true
			n.useWhole = true
		}
	}
	n.anything = !n.hasKeyword
	if n.enumConst && mayBeContainer(m["type"]) {
		n.useWhole = true // enum or const on an object or array: compare trees
	}
	if n.useWhole {
		s, err := c.Compile(checkURL + "#" + fragment(ptr))
		if err != nil {
			return nil, err
		}
		n.whole = s
		return n, nil
	}
	if len(scalar) > 0 {
		s, err := compileAlone(scalar)
		if err != nil {
			return nil, fmt.Errorf("schema at %q: %w", ptr, err)
		}
		n.scalar = s
	}
	if err := n.compileStructure(c, m); err != nil {
		return nil, err
	}
	if n.combined() {
		self := *n
		self.allOf, self.anyOf, self.oneOf = nil, nil, nil
		n.self = &self
	}
	return n, nil
}

// mayBeContainer reports whether a "type" keyword allows objects or
// arrays.
func mayBeContainer(t any) bool {
	switch t := t.(type) {
	case nil:
		return true
	case string:
		return t == "object" || t == "array"
	case []any:
		for _, x := range t {
			if x == "object" || x == "array" {
				return true
			}
		}
	}
	return false
}

// compileAlone compiles the scalar keywords of one subschema as a schema
// of their own.
func compileAlone(doc map[string]any) (*validator.Schema, error) {
	c := validator.NewCompiler()
	c.DefaultDraft(validator.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(checkURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(checkURL)
}

func (n *node) compileStructure(c *validator.Compiler, m map[string]any) error {
	var err error
	switch t := m["type"].(type) {
	case string:
		n.types = []string{t}
	case []any:
		for _, x := range t {
			s, _ := x.(string)
			n.types = append(n.types, s)
		}
	}
	if props, ok := m["properties"].(map[string]any); ok {
		n.props = make(map[string]*node, len(props))
		for k, sub := range props {
			if n.props[k], err = compileNode(c, sub, n.ptr+"/properties/"+escapePointer(k)); err != nil {
				return err
			}
		}
	}
	if req, ok := m["required"].([]any); ok {
		for _, x := range req {
			s, _ := x.(string)
			n.required = append(n.required, s)
		}
	}
	switch a := m["additionalProperties"].(type) {
	case bool:
		n.addlFalse = !a
	case map[string]any:
		if n.addl, err = compileNode(c, a, n.ptr+"/additionalProperties"); err != nil {
			return err
		}
	}
	if it, ok := m["items"]; ok {
		if n.items, err = compileNode(c, it, n.ptr+"/items"); err != nil {
			return err
		}
	}
	if pre, ok := m["prefixItems"].([]any); ok {
		for i, sub := range pre {
			p, err := compileNode(c, sub, fmt.Sprintf("%s/prefixItems/%d", n.ptr, i))
			if err != nil {
				return err
			}
			n.prefix = append(n.prefix, p)
		}
	}
	n.minItems = intKeyword(m, "minItems", 0)
	n.maxItems = intKeyword(m, "maxItems", noBound)
	n.minProps = intKeyword(m, "minProperties", 0)
	n.maxProps = intKeyword(m, "maxProperties", noBound)
	for _, kw := range []struct {
		name string
		dst  *[]*node
	}{{"allOf", &n.allOf}, {"anyOf", &n.anyOf}, {"oneOf", &n.oneOf}} {
		subs, _ := m[kw.name].([]any)
		for i, sub := range subs {
			s, err := compileNode(c, sub, fmt.Sprintf("%s/%s/%d", n.ptr, kw.name, i))
			if err != nil {
				return err
			}
			*kw.dst = append(*kw.dst, s)
		}
	}
	return nil
}

// intKeyword reads an integer keyword (minItems...) as the validator
// does: any whole number (2.0, 1e2), its low 64 bits if it is larger than
// an int64 (the validator's rule too); def if absent. A bound that comes
// out negative is no lower bound, and an upper bound that every count
// exceeds.
func intKeyword(m map[string]any, k string, def int) int {
	num, ok := m[k].(json.Number)
	if !ok {
		return def
	}
	r, ok := new(big.Rat).SetString(string(num))
	if !ok || !r.IsInt() {
		return def
	}
	switch i := int(r.Num().Int64()); {
	case i >= 0:
		return i
	case def == noBound:
		return noBound - 1
	default:
		return 0
	}
}

// fragment writes a JSON pointer as a URL fragment, as the validator
// reads one (it unescapes fragments as URL paths).
func fragment(ptr string) string {
	segs := strings.Split(ptr, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// escapePointer escapes one segment of a JSON pointer (RFC 6901).
func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
