package tools_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/tools"
)

type Search struct {
	Query string   `json:"query" jsonschema_description:"What to look for"`
	Limit int      `json:"limit,omitempty" jsonschema:"minimum=1,maximum=10"`
	Tags  []string `json:"tags,omitempty"`
}

type Hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

func searchTool(t *testing.T) *tools.Func[Search, []Hit] {
	t.Helper()
	f, err := tools.New("search", "Searches the notes.", func(_ context.Context, s Search) ([]Hit, error) {
		if s.Query == "fail" {
			return nil, errors.New("index offline")
		}
		return []Hit{{ID: s.Query, Score: float64(max(s.Limit, 1))}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFuncDefinition(t *testing.T) {
	f := searchTool(t)
	d := f.Definition()
	if d.Name != "search" || d.Description != "Searches the notes." || f.Name() != "search" {
		t.Errorf("definition %+v", d)
	}
	var schema map[string]any
	if err := json.Unmarshal(d.Parameters, &schema); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"required":             []any{"query", "limit", "tags"},
		"properties": map[string]any{
			"query": map[string]any{"type": "string", "description": "What to look for"},
			"limit": map[string]any{"anyOf": []any{map[string]any{"type": "integer", "minimum": 1.0, "maximum": 10.0}, map[string]any{"type": "null"}}},
			"tags":  map[string]any{"anyOf": []any{map[string]any{"type": "array", "items": map[string]any{"type": "string"}}, map[string]any{"type": "null"}}},
		},
	}
	if diff := cmp.Diff(want, schema); diff != "" {
		t.Errorf("schema (-want +got):\n%s", diff)
	}
	d.Parameters[0] = 'X' // a copy
	if f.Definition().Parameters[0] != '{' {
		t.Error("Definition shares its schema bytes")
	}
}

func TestFuncCall(t *testing.T) {
	f := searchTool(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, args, want, err string
	}{
		{"valid", `{"query":"go","limit":3}`, `[{"id":"go","score":3}]`, ""},
		{"null optional fields", `{"query":"go","limit":null,"tags":null}`, `[{"id":"go","score":1}]`, ""},
		{"spaces around", " \n{\"query\":\"go\"}\n", `[{"id":"go","score":1}]`, ""},
		{"whole float as integer", `{"query":"go","limit":2.0}`, `[{"id":"go","score":2}]`, ""},
		{"missing required", `{}`, "", "invalid arguments: the JSON does not match the schema:\n- at '': missing property 'query'"},
		{"empty is {}", ``, "", "missing property 'query'"},
		{"null is {}", `null`, "", "missing property 'query'"},
		{"unknown property", `{"query":"go","color":"red"}`, "", "additional properties 'color' not allowed"},
		{"out of range", `{"query":"go","limit":50}`, "", "at '/limit'"},
		{"wrong type", `{"query":7}`, "", "at '/query': got number, want string"},
		{"malformed", `{"query":"go"`, "", "the arguments are not valid JSON: unexpected end of JSON input"},
		{"trailing garbage", `{"query":"go"} x`, "", "the arguments are not valid JSON: invalid character 'x' after top-level value"},
		{"array", `[1]`, "", "the arguments must be a JSON object, got an array"},
		{"string", `"go"`, "", "the arguments must be a JSON object, got a string"},
		{"number", `12`, "", "got a number"},
		{"boolean", `true`, "", "got a boolean"},
		{"not JSON at all", `query=go`, "", "the arguments are not valid JSON: invalid character 'q'"},
		{"fenced", "```json\n{\"query\":\"go\"}\n```", "", "not valid JSON"},
		{"tool error", `{"query":"fail"}`, "", "index offline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.Call(ctx, json.RawMessage(tc.args))
			if tc.err == "" {
				if err != nil || got != tc.want {
					t.Fatalf("Call = %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Call = %q, %v; want an error containing %q", got, err, tc.err)
			}
			var ae *tools.ArgumentsError
			if isArgs := errors.As(err, &ae); isArgs != (tc.name != "tool error") {
				t.Errorf("error %v: *ArgumentsError %v", err, isArgs)
			} else if isArgs && (!errors.Is(err, tools.ErrInvalidArguments) || ae.Tool != "search") {
				t.Errorf("error %+v", ae)
			}
		})
	}
}

func TestFuncResults(t *testing.T) {
	ctx := context.Background()
	text := tools.MustNew("text", "", func(context.Context, Nothing) (string, error) { return `"as is"`, nil })
	if got, err := text.Call(ctx, nil); got != `"as is"` || err != nil {
		t.Errorf("string result = %q, %v", got, err)
	}
	num := tools.MustNew("num", "", func(context.Context, Nothing) (float64, error) { return 2.5, nil })
	if got, err := num.Call(ctx, nil); got != "2.5" || err != nil {
		t.Errorf("number result = %q, %v", got, err)
	}
	html := tools.MustNew("html", "", func(context.Context, Nothing) ([]string, error) { return []string{"a < b && c > d"}, nil })
	if got, err := html.Call(ctx, nil); got != `["a < b && c > d"]` || err != nil {
		t.Errorf("HTML characters = %q, %v", got, err)
	}
	bad := tools.MustNew("bad", "", func(context.Context, Nothing) (map[string]any, error) {
		return map[string]any{"f": func() {}}, nil
	})
	if _, err := bad.Call(ctx, nil); err == nil || !strings.Contains(err.Error(), "encoding the result") {
		t.Errorf("unencodable result: %v", err)
	}
}

func TestFuncNonStructArguments(t *testing.T) {
	upper := tools.MustNew("upper", "Upper-cases text.", func(_ context.Context, s string) (string, error) {
		return strings.ToUpper(s), nil
	})
	if got := string(upper.Definition().Parameters); !strings.Contains(got, `"value"`) {
		t.Errorf("schema %s does not wrap the string in an object", got)
	}
	got, err := upper.Call(context.Background(), json.RawMessage(`{"value":"hi"}`))
	if err != nil || got != "HI" {
		t.Errorf("Call = %q, %v", got, err)
	}
}

func TestFuncAsChain(t *testing.T) {
	ctx := context.Background()
	// A tool is a chain.Chain[A, R]: it composes with other stages, typed.
	var c chain.Chain[Pair, float64] = addTool()
	double := chain.Pure(func(x float64) float64 { return 2 * x })
	got, err := chain.Then(c, double).Run(ctx, Pair{A: 1, B: 2})
	if err != nil || got != 6 {
		t.Errorf("Then(add, double) = %v, %v", got, err)
	}
	if n := chain.Describe(c); n.Kind != tools.KindTool || n.Name != "add" {
		t.Errorf("Describe = %+v", n)
	}

	_, err = boomTool().Run(ctx, Nothing{})
	var pe *chain.PanicError
	if !errors.Is(err, chain.ErrPanic) || !errors.As(err, &pe) || pe.Value != "boom" || len(pe.Stack) == 0 {
		t.Errorf("panic: %v", err)
	}

	slow := sleepTool("slow", nil, tools.WithTimeout(10*time.Millisecond))
	if slow.Timeout() != 10*time.Millisecond || chain.Describe(slow).Detail != "timeout 10ms" {
		t.Errorf("Timeout %v, node %+v", slow.Timeout(), chain.Describe(slow))
	}
	_, err = slow.Run(ctx, Nothing{})
	var te *tools.TimeoutError
	if !errors.Is(err, tools.ErrToolTimeout) || !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &te) ||
		te.Tool != "slow" || !chain.IsRetryable(err) {
		t.Errorf("timeout: %v", err)
	}
	// The caller's own deadline is not the tool's timeout.
	cctx, cancel := context.WithTimeout(ctx, time.Millisecond)
	defer cancel()
	_, err = sleepTool("slow", nil, tools.WithTimeout(time.Hour)).Run(cctx, Nothing{})
	if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &te) {
		t.Errorf("caller's deadline: %v", err)
	}
}

type Bad struct {
	Callback func() `json:"callback"`
}

func TestNewRefuses(t *testing.T) {
	fn := func(context.Context, Nothing) (string, error) { return "", nil }
	for _, tc := range []struct {
		name string
		new  func() error
		is   error
	}{
		{"empty name", func() error { _, err := tools.New("", "", fn); return err }, nil},
		{"space in name", func() error { _, err := tools.New("my tool", "", fn); return err }, nil},
		{"long name", func() error { _, err := tools.New(strings.Repeat("x", 65), "", fn); return err }, nil},
		{"nil function", func() error { _, err := tools.New[Nothing, string]("t", "", nil); return err }, nil},
		{"no schema", func() error {
			_, err := tools.New("t", "", func(context.Context, Bad) (string, error) { return "", nil })
			return err
		}, llm.ErrUnsupportedType},
		{"zero timeout", func() error { _, err := tools.New("t", "", fn, tools.WithTimeout(0)); return err }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.new()
			if !errors.Is(err, chain.ErrConfig) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Errorf("err = %v", err)
			}
		})
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("MustNew did not panic")
		}
	}()
	tools.MustNew("bad name", "", fn)
}
