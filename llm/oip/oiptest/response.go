package oiptest

import (
	"fmt"

	"github.com/chorus-go/chorus/llm/oip"
)

// encodeOutput turns an output tensor of a model's Infer function into
// the protocol's response output object, its data flat or nested.
func encodeOutput(t oip.Tensor, nested bool) (map[string]any, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	var flat []any
	switch v := t.Data.(type) {
	case []bool:
		flat = boxed(v)
	case []uint8:
		flat = boxed(v)
	case []uint16:
		flat = boxed(v)
	case []uint32:
		flat = boxed(v)
	case []uint64:
		flat = boxed(v)
	case []int8:
		flat = boxed(v)
	case []int16:
		flat = boxed(v)
	case []int32:
		flat = boxed(v)
	case []int64:
		flat = boxed(v)
	case []float32:
		flat = boxed(v)
	case []float64:
		flat = boxed(v)
	case []string:
		flat = boxed(v)
	default:
		return nil, fmt.Errorf("output %q: data of type %T", t.Name, t.Data)
	}
	var data any = flat
	if nested && len(t.Shape) > 1 {
		data = nest(flat, t.Shape)
	}
	out := map[string]any{"name": t.Name, "datatype": t.Datatype, "shape": t.Shape, "data": data}
	if t.Shape == nil {
		out["shape"] = []int64{}
	}
	if len(t.Parameters) > 0 {
		out["parameters"] = t.Parameters
	}
	return out, nil
}

func boxed[T any](v []T) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// nest splits flat data into nested arrays following shape.
func nest(flat []any, shape []int64) any {
	if len(shape) <= 1 {
		return flat
	}
	n := int(shape[0])
	out := make([]any, n)
	step := 0
	if n > 0 {
		step = len(flat) / n
	}
	for i := range out {
		out[i] = nest(flat[i*step:(i+1)*step], shape[1:])
	}
	return out
}
