package llm

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"text/template"
)

// newRenderer returns the function that turns an input into the text of
// the user message: the template's output if there is a template, else the
// input itself when it is a string, else the input as indented JSON.
//
// A template is executed once on a zero input (a pointer input gets a
// zero value to point to) to catch fields the input type does not have;
// other errors of that dry run (an index out of range, say) are left to
// the calls, where real inputs may not have them.
func newRenderer[In any](tmpl *template.Template) (func(In) (string, error), error) {
	t := reflect.TypeFor[In]()
	if tmpl != nil {
		var probe any = *new(In)
		if t.Kind() == reflect.Pointer {
			probe = reflect.New(t.Elem()).Interface()
		}
		if err := tmpl.Execute(io.Discard, probe); err != nil && strings.Contains(err.Error(), "can't evaluate field") {
			return nil, fmt.Errorf("prompt template does not fit %s: %w", t, err)
		}
		return func(in In) (string, error) {
			var b strings.Builder
			if err := tmpl.Execute(&b, in); err != nil {
				return "", fmt.Errorf("%w: prompt template: %v", ErrInvalidRequest, err)
			}
			return b.String(), nil
		}, nil
	}
	if t.Kind() == reflect.String {
		return func(in In) (string, error) {
			if s, ok := any(in).(string); ok {
				return s, nil
			}
			return reflect.ValueOf(in).String(), nil
		}, nil
	}
	return func(in In) (string, error) {
		b, err := json.MarshalIndent(in, "", "  ")
		if err != nil {
			return "", fmt.Errorf("%w: encoding the input as JSON: %v", ErrInvalidRequest, err)
		}
		return string(b), nil
	}, nil
}
