package tools_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/tools"
)

// dynamic is a Tool implemented by hand, with a schema known at run time.
type dynamic struct{ name string }

func (d dynamic) Definition() llm.Tool {
	return llm.Tool{Name: d.name, Description: "Echoes.", Parameters: json.RawMessage(`{"type":"object"}`)}
}

func (d dynamic) Call(_ context.Context, args json.RawMessage) (string, error) {
	return string(args), nil
}

func TestToolset(t *testing.T) {
	s, err := tools.NewToolset(addTool(), dynamic{"echo"}, failTool())
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 3 || !slices.Equal(s.Names(), []string{"add", "echo", "fail"}) || len(s.Tools()) != 3 {
		t.Errorf("Len %d, Names %v", s.Len(), s.Names())
	}
	defs := s.Definitions()
	if len(defs) != 3 || defs[1].Name != "echo" || string(defs[1].Parameters) != `{"type":"object"}` {
		t.Errorf("Definitions = %+v", defs)
	}
	if tool, ok := s.Lookup("echo"); !ok || tool.Definition().Name != "echo" {
		t.Errorf("Lookup(echo) = %v, %v", tool, ok)
	}
	if _, ok := s.Lookup("nope"); ok {
		t.Error("Lookup(nope) found a tool")
	}

	var none *tools.Toolset
	if none.Len() != 0 || none.Names() != nil || none.Definitions() != nil || none.Tools() != nil {
		t.Error("a nil Toolset is not empty")
	}
	if _, ok := none.Lookup("add"); ok {
		t.Error("a nil Toolset has tools")
	}
}

func TestToolsetRefuses(t *testing.T) {
	_, err := tools.NewToolset(addTool(), dynamic{"echo"}, dynamic{"add"})
	if !errors.Is(err, tools.ErrDuplicateTool) || !errors.Is(err, chain.ErrConfig) {
		t.Fatalf("duplicate: %v", err)
	}
	if want := `tools.NewToolset: tools: duplicate tool name: "add" is the name of tools 0 and 2`; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if _, err := tools.NewToolset(addTool(), nil); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("nil tool: %v", err)
	}
	if _, err := tools.NewToolset(dynamic{"has space"}); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("bad name: %v", err)
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("MustToolset did not panic")
		}
	}()
	tools.MustToolset(addTool(), addTool())
}
