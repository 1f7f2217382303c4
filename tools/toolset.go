package tools

import (
	"fmt"
	"slices"

	"github.com/chorus-go/chorus/llm"
)

// Toolset is a fixed set of tools with distinct names: the tools an agent
// offers its model. It is immutable and safe for concurrent use; a nil
// *Toolset holds no tools.
type Toolset struct {
	tools []Tool
	defs  []llm.Tool
	index map[string]int
}

// NewToolset gathers tools into a set, in order. It fails, with an error
// matching chain.ErrConfig, on a nil tool or a name models do not accept
// (1 to 64 letters, digits, '_' or '-'), and with one also matching
// ErrDuplicateTool when two tools have the same name.
func NewToolset(tools ...Tool) (*Toolset, error) {
	s := &Toolset{
		tools: slices.Clone(tools),
		defs:  make([]llm.Tool, len(tools)),
		index: make(map[string]int, len(tools)),
	}
	for i, t := range tools {
		if t == nil {
			return nil, configErr("NewToolset", "tool %d is nil", i)
		}
		d := t.Definition()
		if !namePattern.MatchString(d.Name) {
			return nil, configErr("NewToolset", "tool %d: name %q is not 1 to 64 letters, digits, '_' or '-'", i, d.Name)
		}
		if j, dup := s.index[d.Name]; dup {
			return nil, &configError{"NewToolset", fmt.Errorf("%w: %q is the name of tools %d and %d", ErrDuplicateTool, d.Name, j, i)}
		}
		s.index[d.Name] = i
		s.defs[i] = d
	}
	return s, nil
}

// MustToolset is NewToolset that panics instead of returning an error.
func MustToolset(tools ...Tool) *Toolset {
	s, err := NewToolset(tools...)
	if err != nil {
		panic(err)
	}
	return s
}

// Len returns the number of tools.
func (s *Toolset) Len() int {
	if s == nil {
		return 0
	}
	return len(s.tools)
}

// Tools returns the tools, in order.
func (s *Toolset) Tools() []Tool {
	if s == nil {
		return nil
	}
	return slices.Clone(s.tools)
}

// Names returns the tools' names, in order.
func (s *Toolset) Names() []string {
	if s == nil {
		return nil
	}
	names := make([]string, len(s.defs))
	for i, d := range s.defs {
		names[i] = d.Name
	}
	return names
}

// Lookup returns the tool of that name.
func (s *Toolset) Lookup(name string) (Tool, bool) {
	if s == nil {
		return nil, false
	}
	i, ok := s.index[name]
	if !ok {
		return nil, false
	}
	return s.tools[i], true
}

// Definitions returns the tools' definitions, in order, as an
// llm.Request's Tools. The definitions were read once, by NewToolset.
func (s *Toolset) Definitions() []llm.Tool {
	if s == nil {
		return nil
	}
	out := make([]llm.Tool, len(s.defs))
	for i, d := range s.defs {
		d.Parameters = slices.Clone(d.Parameters)
		out[i] = d
	}
	return out
}
