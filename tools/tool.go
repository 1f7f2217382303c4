package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/schema"
	"github.com/chorus-go/chorus/llm"
)

// KindTool is the kind of a tool's node in inference graphs.
const KindTool chain.Kind = "tool"

// Tool is a function a model may call. Func makes one from a typed Go
// function; implement Tool directly for tools whose arguments are only
// known at run time. A Tool must be safe for concurrent use: an agent runs
// the calls of one model turn at the same time.
type Tool interface {
	// Definition describes the tool to the model: its name, what it does
	// and the JSON schema of its arguments object.
	Definition() llm.Tool
	// Call runs the tool with the arguments the model wrote (a JSON
	// object) and returns the text that goes back to the model. It must
	// honour ctx. Its error goes back to the model too (see Agent).
	Call(ctx context.Context, arguments json.RawMessage) (string, error)
}

// namePattern is what OpenAI accepts as a function name; Ollama takes the
// same.
var namePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// ToolOption configures New.
type ToolOption func(*toolConfig)

type toolConfig struct {
	timeout time.Duration
	err     error
}

// WithTimeout bounds each call of the tool to d: when d passes, the call's
// context is cancelled and the call fails with a *TimeoutError, which an
// agent sends back to the model. It overrides the agent's WithToolTimeout.
// d must be positive. (chain.Timeout, by contrast, wraps a whole chain.)
func WithTimeout(d time.Duration) ToolOption {
	return func(c *toolConfig) {
		if d <= 0 && c.err == nil {
			c.err = fmt.Errorf("WithTimeout: duration must be positive, got %v", d)
		}
		c.timeout = d
	}
}

// Func is a tool made from a typed Go function func(ctx, A) (R, error).
// The JSON schema of A, built once by schema.New (strict where A allows
// it, see schema.Strict), describes the arguments to the model; the
// model's arguments are validated against it and decoded into an A before
// the function runs. R is sent back to the
// model as JSON, or as it is when R is string.
//
// A Func is a Tool, and a chain.Chain[A, R] for code that calls it
// directly. A panic in the function becomes a *chain.PanicError. A Func is
// safe for concurrent use when its function is.
type Func[A, R any] struct {
	def     llm.Tool
	schema  *schema.Schema[A]
	fn      func(context.Context, A) (R, error)
	timeout time.Duration
}

var (
	_ Tool                          = (*Func[struct{}, string])(nil)
	_ chain.Chain[struct{}, string] = (*Func[struct{}, string])(nil)
	_ chain.Describer               = (*Func[struct{}, string])(nil)
)

// New makes a tool of fn. name is what the model calls it by (1 to 64
// letters, digits, '_' or '-'); description tells the model what it does
// and when to use it. A describes the arguments: a struct whose fields
// carry json tags, and jsonschema or jsonschema_description tags for what
// the model should know about each (a non-struct A is sent as an object
// with one property, "value"). New fails, with an error matching
// chain.ErrConfig, on an invalid name, a nil function, an invalid option
// or an A that has no JSON schema (schema.ErrUnsupportedType).
func New[A, R any](name, description string, fn func(ctx context.Context, args A) (R, error), opts ...ToolOption) (*Func[A, R], error) {
	if !namePattern.MatchString(name) {
		return nil, configErr("New", "tool name %q is not 1 to 64 letters, digits, '_' or '-'", name)
	}
	if fn == nil {
		return nil, configErr("New", "tool %s: nil function", name)
	}
	var cfg toolConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, &configError{"New", fmt.Errorf("tool %s: %w", name, cfg.err)}
	}
	sch, err := schema.New[A](schema.Strict())
	if err != nil {
		return nil, &configError{"New", fmt.Errorf("tool %s: %w", name, err)}
	}
	return &Func[A, R]{
		def:     llm.Tool{Name: name, Description: description, Parameters: sch.JSON()},
		schema:  sch,
		fn:      fn,
		timeout: cfg.timeout,
	}, nil
}

// MustNew is New that panics instead of returning an error, for tools
// defined in code, as regexp.MustCompile does.
func MustNew[A, R any](name, description string, fn func(ctx context.Context, args A) (R, error), opts ...ToolOption) *Func[A, R] {
	f, err := New(name, description, fn, opts...)
	if err != nil {
		panic(err)
	}
	return f
}

// Name returns the tool's name.
func (f *Func[A, R]) Name() string { return f.def.Name }

// Definition returns the tool's name, description and the JSON schema of
// A (a copy).
func (f *Func[A, R]) Definition() llm.Tool {
	d := f.def
	d.Parameters = slices.Clone(d.Parameters)
	return d
}

// Timeout returns the tool's own timeout (see WithTimeout), zero if
// it has none.
func (f *Func[A, R]) Timeout() time.Duration { return f.timeout }

// Run calls the function with typed arguments, within the tool's timeout.
// A panic becomes a *chain.PanicError; a call that runs past the timeout
// fails with a *TimeoutError.
func (f *Func[A, R]) Run(ctx context.Context, args A) (R, error) {
	if f.timeout <= 0 {
		return f.call(ctx, args)
	}
	var out R
	err := withTimeout(ctx, f.def.Name, f.timeout, func(ctx context.Context) (err error) {
		out, err = f.call(ctx, args)
		return err
	})
	return out, err
}

func (f *Func[A, R]) call(ctx context.Context, args A) (out R, err error) {
	defer chain.Recover(&err)
	return f.fn(ctx, args)
}

// Call validates the model's arguments against the schema of A, decodes
// them, runs the function (see Run) and encodes its result: a string as it
// is, anything else as JSON. Empty or null arguments stand for {}.
// Arguments that are not a JSON object valid against the schema fail with
// an *ArgumentsError (ErrInvalidArguments) and the function does not run.
func (f *Func[A, R]) Call(ctx context.Context, arguments json.RawMessage) (string, error) {
	args, err := f.Decode(arguments)
	if err != nil {
		return "", err
	}
	out, err := f.Run(ctx, args)
	if err != nil {
		return "", err
	}
	return encodeResult(f.def.Name, out)
}

// Decode validates arguments written by a model against the schema of A
// and decodes them, as Call does. The *ArgumentsError it returns says what
// is wrong in words a model can act on.
func (f *Func[A, R]) Decode(arguments json.RawMessage) (A, error) {
	var zero A
	raw := bytes.TrimSpace(arguments)
	if len(raw) == 0 || string(raw) == "null" {
		raw = []byte("{}")
	}
	if raw[0] != '{' {
		if err := syntaxError(raw); err != nil {
			return zero, &ArgumentsError{Tool: f.def.Name, Err: err}
		}
		return zero, &ArgumentsError{Tool: f.def.Name, Err: fmt.Errorf("the arguments must be a JSON object, got %s", jsonKind(raw[0]))}
	}
	args, err := f.schema.Decode(raw)
	if err != nil {
		if serr := syntaxError(raw); serr != nil {
			err = serr // say it in terms of arguments
		}
		return zero, &ArgumentsError{Tool: f.def.Name, Err: err}
	}
	return args, nil
}

// syntaxError says why raw is not one JSON value, or returns nil.
func syntaxError(raw []byte) error {
	if json.Valid(raw) {
		return nil
	}
	var v any
	err := json.Unmarshal(raw, &v)
	return fmt.Errorf("the arguments are not valid JSON: %v", err)
}

// Describe reports the tool as a leaf of kind KindTool, named after it.
func (f *Func[A, R]) Describe() chain.Node {
	n := chain.Node{Kind: KindTool, Name: f.def.Name, Chain: f}
	if f.timeout > 0 {
		n.Detail = "timeout " + f.timeout.String()
	}
	return n
}

// encodeResult turns a tool's result into the text sent to the model:
// a string as it is, anything else as JSON, without encoding/json's
// escaping of <, > and & (the text goes to a model, not into HTML).
func encodeResult[R any](tool string, out R) (string, error) {
	if s, ok := any(out).(string); ok {
		return s, nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return "", fmt.Errorf("tools: %s: encoding the result: %w", tool, err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// jsonKind names the kind of JSON value that starts with b.
func jsonKind(b byte) string {
	switch b {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// errOwnTimeout is the cause set on a tool's own deadline, to tell it
// apart from the caller's.
type errOwnTimeout struct{}

func (errOwnTimeout) Error() string { return "tools: tool timeout" }

// withTimeout runs do under a deadline d from now. When do fails because
// that deadline passed (not the caller's), the error is a *TimeoutError.
func withTimeout(ctx context.Context, tool string, d time.Duration, do func(context.Context) error) error {
	tctx, cancel := context.WithTimeoutCause(ctx, d, errOwnTimeout{})
	defer cancel()
	err := do(tctx)
	if err != nil && ctx.Err() == nil && context.Cause(tctx) == (errOwnTimeout{}) {
		return &TimeoutError{Tool: tool, After: d}
	}
	return err
}
