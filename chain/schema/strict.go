package schema

import (
	"fmt"
	"maps"
	"slices"

	invopop "github.com/invopop/jsonschema"
)

// strictifier walks a reflected schema once. It makes every optional
// property nullable, remembers every object, and notes the first reason
// the schema cannot be strict. requireAll then lists every property of
// every object in "required", which is what OpenAI's strict mode wants.
type strictifier struct {
	objects []*invopopSchema
	reason  string // why the schema cannot be strict; "" if it can
}

func (st *strictifier) notStrict(format string, args ...any) {
	if st.reason == "" {
		st.reason = fmt.Sprintf(format, args...)
	}
}

func (st *strictifier) visit(n *invopopSchema, path string) {
	if n == nil {
		return
	}
	at := path
	if at == "" {
		at = "the root"
	}
	if v, ok := boolSchema(n); ok {
		if v {
			st.notStrict("%s accepts any value", at)
		} else {
			st.notStrict("%s accepts no value", at)
		}
		return
	}
	// invopop's `jsonschema:"nullable"` is oneOf [T, null]; strict mode
	// takes anyOf, which means the same here.
	if len(n.OneOf) == 2 && len(n.AnyOf) == 0 && (isNullType(n.OneOf[0]) != isNullType(n.OneOf[1])) {
		n.AnyOf, n.OneOf = n.OneOf, nil
	}
	switch {
	case n.Type == "" && n.AnyOf == nil && n.OneOf == nil && n.AllOf == nil && n.Enum == nil && n.Const == nil && n.Ref == "":
		st.notStrict("%s accepts any value", at)
	case n.OneOf != nil:
		st.notStrict("%s uses oneOf", at)
	case n.AllOf != nil, n.Not != nil, n.If != nil, n.Then != nil, n.Else != nil:
		st.notStrict("%s uses allOf, not or if/then/else", at)
	case n.DependentSchemas != nil, n.DependentRequired != nil, n.PropertyNames != nil:
		st.notStrict("%s uses dependent schemas or propertyNames", at)
	}
	if n.Type == "object" || n.Properties != nil {
		if v, ok := boolSchema(n.AdditionalProperties); !ok || v {
			st.notStrict("%s is a map or an open object", at)
		}
		if len(n.PatternProperties) > 0 {
			st.notStrict("%s uses patternProperties", at)
		}
		st.objects = append(st.objects, n)
		if n.Properties != nil {
			for p := n.Properties.Oldest(); p != nil; p = p.Next() {
				if !slices.Contains(n.Required, p.Key) {
					p.Value = nullable(p.Value)
				}
				st.visit(p.Value, path+"/"+p.Key)
			}
		}
	}
	if _, ok := boolSchema(n.AdditionalProperties); !ok && n.AdditionalProperties != nil {
		st.visit(n.AdditionalProperties, path+"/*")
	}
	for k, s := range n.PatternProperties {
		st.visit(s, path+"/"+k)
	}
	st.visit(n.Items, path+"/[]")
	for i, s := range n.PrefixItems {
		st.visit(s, fmt.Sprintf("%s/%d", path, i))
	}
	for _, list := range [][]*invopopSchema{n.AnyOf, n.OneOf, n.AllOf} {
		for _, s := range list {
			st.visit(s, path)
		}
	}
}

// requireAll lists every property of every object in "required".
func (st *strictifier) requireAll() {
	for _, n := range st.objects {
		n.Required = n.Required[:0:0]
		if n.Properties == nil {
			continue
		}
		for p := n.Properties.Oldest(); p != nil; p = p.Next() {
			n.Required = append(n.Required, p.Key)
		}
	}
}

// nullable returns a schema that also accepts null: anyOf [s, null], with
// s's description moved up so it still describes the property.
func nullable(s *invopopSchema) *invopopSchema {
	if acceptsNull(s) {
		return s
	}
	if _, ok := boolSchema(s); ok {
		return &invopopSchema{AnyOf: []*invopopSchema{s, {Type: "null"}}}
	}
	desc := s.Description
	s.Description = ""
	return &invopopSchema{Description: desc, AnyOf: []*invopopSchema{s, {Type: "null"}}}
}

func isNullType(s *invopopSchema) bool { return s != nil && s.Type == "null" }

// acceptsNull reports whether s plainly accepts null.
func acceptsNull(s *invopopSchema) bool {
	if v, ok := boolSchema(s); ok {
		return v
	}
	if s.Type == "null" || slices.Contains(s.Enum, nil) {
		return true
	}
	for _, b := range append(slices.Clip(s.AnyOf), s.OneOf...) {
		if acceptsNull(b) {
			return true
		}
	}
	return false
}

// boolSchema reports whether s is the schema true or false (an empty schema
// is true), and which. A nil s is not a schema.
func boolSchema(s *invopopSchema) (value, ok bool) {
	switch {
	case s == nil:
		return false, false
	case s == invopop.TrueSchema:
		return true, true
	case s == invopop.FalseSchema:
		return false, true
	case s.Type != "" || s.Properties != nil || s.Items != nil || s.AnyOf != nil || s.OneOf != nil ||
		s.AllOf != nil || s.Ref != "" || s.Enum != nil || s.Not != nil:
		return false, false
	}
	b, err := s.MarshalJSON()
	if err != nil {
		return false, false
	}
	switch string(b) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// cloneSchema deep-copies a schema tree, so that making it strict does not
// edit schemas shared with user code. Boolean schemas are shared: nothing
// edits them.
func cloneSchema(s *invopopSchema) *invopopSchema {
	if s == nil {
		return nil
	}
	if _, ok := boolSchema(s); ok {
		return s
	}
	c := *s
	if s.Properties != nil {
		c.Properties = invopop.NewProperties()
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			c.Properties.Set(p.Key, cloneSchema(p.Value))
		}
	}
	for _, f := range []**invopopSchema{&c.Items, &c.AdditionalProperties, &c.Not, &c.If, &c.Then, &c.Else,
		&c.Contains, &c.PropertyNames, &c.ContentSchema} {
		*f = cloneSchema(*f)
	}
	for _, f := range []*[]*invopopSchema{&c.AnyOf, &c.OneOf, &c.AllOf, &c.PrefixItems} {
		if *f != nil {
			list := make([]*invopopSchema, len(*f))
			for i, x := range *f {
				list[i] = cloneSchema(x)
			}
			*f = list
		}
	}
	for _, f := range []*map[string]*invopopSchema{&c.PatternProperties, &c.DependentSchemas} {
		if *f != nil {
			m := make(map[string]*invopopSchema, len(*f))
			for k, x := range *f {
				m[k] = cloneSchema(x)
			}
			*f = m
		}
	}
	if s.Definitions != nil {
		c.Definitions = make(invopop.Definitions, len(s.Definitions))
		for k, x := range s.Definitions {
			c.Definitions[k] = cloneSchema(x)
		}
	}
	c.Required = slices.Clone(s.Required)
	c.Enum = slices.Clone(s.Enum)
	c.Examples = slices.Clone(s.Examples)
	c.Extras = maps.Clone(s.Extras)
	c.DependentRequired = maps.Clone(s.DependentRequired)
	return &c
}
