package oip

import (
	"fmt"
	"slices"
	"strings"
)

// Metadata is what GET /v2/models/{name} says of a model.
type Metadata struct {
	Name     string
	Versions []string
	Platform string
	Inputs   []TensorMetadata
	Outputs  []TensorMetadata
}

// TensorMetadata describes an input or output of a model: its name,
// datatype and shape, -1 standing for a dimension of any size (typically
// the batch).
type TensorMetadata struct {
	Name     string   `json:"name"`
	Datatype Datatype `json:"datatype"`
	Shape    []int64  `json:"shape"`
}

// Input returns the metadata of the input of that name.
func (md Metadata) Input(name string) (TensorMetadata, bool) { return find(md.Inputs, name) }

// Output returns the metadata of the output of that name.
func (md Metadata) Output(name string) (TensorMetadata, bool) { return find(md.Outputs, name) }

func find(ts []TensorMetadata, name string) (TensorMetadata, bool) {
	i := slices.IndexFunc(ts, func(t TensorMetadata) bool { return t.Name == name })
	if i < 0 {
		return TensorMetadata{}, false
	}
	return ts[i], true
}

// Fits reports, as a *TensorError matching ErrMismatch, why a tensor does
// not fit this description: another datatype, another number of
// dimensions, or a dimension of another size where the description's is
// not -1. It returns nil when the tensor fits. Names are not compared.
func (tm TensorMetadata) Fits(t Tensor) error {
	if t.Datatype != tm.Datatype {
		return mismatch("", t.Name, "datatype %s, the model wants %s", t.Datatype, tm.Datatype)
	}
	if len(t.Shape) != len(tm.Shape) {
		return mismatch("", t.Name, "shape %v has %d dimensions, the model wants %s", t.Shape, len(t.Shape), shapeString(tm.Shape))
	}
	for i, d := range tm.Shape {
		if d >= 0 && t.Shape[i] != d {
			return mismatch("", t.Name, "shape %v does not fit %s (dimension %d)", t.Shape, shapeString(tm.Shape), i)
		}
	}
	return nil
}

// Check checks a request's inputs and requested outputs against the
// metadata: every input is a known input, once, that fits its description
// (see Fits); every requested output is a known output. The error is a
// *TensorError matching ErrMismatch, naming the model.
func (md Metadata) Check(inputs []Tensor, outputs []string) error {
	seen := make(map[string]bool, len(inputs))
	for _, t := range inputs {
		if seen[t.Name] {
			return mismatch(md.Name, t.Name, "given twice")
		}
		seen[t.Name] = true
		tm, ok := md.Input(t.Name)
		if !ok {
			return mismatch(md.Name, t.Name, "the model has no such input (inputs: %s)", names(md.Inputs))
		}
		if err := tm.Fits(t); err != nil {
			te := err.(*TensorError)
			te.Model = md.Name
			return te
		}
	}
	for _, o := range outputs {
		if _, ok := md.Output(o); !ok {
			return mismatch(md.Name, o, "the model has no such output (outputs: %s)", names(md.Outputs))
		}
	}
	return nil
}

func names(ts []TensorMetadata) string {
	var out []string
	for _, t := range ts {
		out = append(out, fmt.Sprintf("%s %s %s", t.Name, t.Datatype, shapeString(t.Shape)))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// shapeString writes a shape as [-1 4], -1 as "-1".
func shapeString(s []int64) string { return fmt.Sprint(s) }
