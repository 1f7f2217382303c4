package oiptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/chorus-go/chorus/llm/oip"
)

// request is an inference request checked against its model.
type request struct {
	ID      string
	inputs  []oip.Tensor // in the order of the model's inputs
	outputs []string
}

type wireInput struct {
	Name       string          `json:"name"`
	Shape      []json.Number   `json:"shape"`
	Datatype   string          `json:"datatype"`
	Parameters map[string]any  `json:"parameters"`
	Data       json.RawMessage `json:"data"`
}

// parseRequest decodes and checks an inference request body; its error
// is the 400 message.
func parseRequest(body []byte, m *Model) (*request, error) {
	var raw struct {
		ID         string         `json:"id"`
		Parameters map[string]any `json:"parameters"`
		Inputs     []wireInput    `json:"inputs"`
		Outputs    []struct {
			Name string `json:"name"`
		} `json:"outputs"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("failed to parse the request JSON buffer: %v", err)
	}
	byName := map[string]oip.Tensor{}
	for _, in := range raw.Inputs {
		t, err := checkInput(in, m)
		if err != nil {
			return nil, err
		}
		if _, dup := byName[in.Name]; dup {
			return nil, fmt.Errorf("input '%s' is given twice", in.Name)
		}
		byName[in.Name] = t
	}
	if len(byName) != len(m.Inputs) {
		return nil, fmt.Errorf("expected %d inputs but got %d inputs for model '%s'", len(m.Inputs), len(byName), m.Name)
	}
	req := &request{ID: raw.ID}
	for _, meta := range m.Inputs {
		req.inputs = append(req.inputs, byName[meta.Name])
	}
	for _, o := range raw.Outputs {
		if !hasTensor(m.Outputs, o.Name) {
			return nil, fmt.Errorf("unexpected inference output '%s' for model '%s'", o.Name, m.Name)
		}
		req.outputs = append(req.outputs, o.Name)
	}
	return req, nil
}

func hasTensor(ts []oip.TensorMetadata, name string) bool {
	for _, t := range ts {
		if t.Name == name {
			return true
		}
	}
	return false
}

// checkInput checks one input against the model and decodes its data.
func checkInput(in wireInput, m *Model) (oip.Tensor, error) {
	var meta *oip.TensorMetadata
	for i := range m.Inputs {
		if m.Inputs[i].Name == in.Name {
			meta = &m.Inputs[i]
		}
	}
	if meta == nil {
		return oip.Tensor{}, fmt.Errorf("unexpected inference input '%s' for model '%s'", in.Name, m.Name)
	}
	if in.Datatype != string(meta.Datatype) {
		return oip.Tensor{}, fmt.Errorf("unexpected datatype %s for inference input '%s', expecting %s", in.Datatype, in.Name, meta.Datatype)
	}
	shape := make([]int64, len(in.Shape))
	count := int64(1)
	for i, d := range in.Shape {
		n, err := strconv.ParseInt(string(d), 10, 64)
		if err != nil || n < 0 {
			return oip.Tensor{}, fmt.Errorf("input '%s': shape dimension %s is not a non-negative integer", in.Name, d)
		}
		shape[i] = n
		if n != 0 && count > math.MaxInt32/n {
			return oip.Tensor{}, fmt.Errorf("input '%s': shape %v is too large", in.Name, shape)
		}
		count *= n
	}
	if !shapeFits(shape, meta.Shape) {
		return oip.Tensor{}, fmt.Errorf("unexpected shape for input '%s' for model '%s'. Expected %s, got %s", in.Name, m.Name, dims(meta.Shape), dims(shape))
	}
	var data any
	dec := json.NewDecoder(bytes.NewReader(in.Data))
	dec.UseNumber()
	if len(in.Data) == 0 || dec.Decode(&data) != nil {
		return oip.Tensor{}, fmt.Errorf("input '%s' has no data", in.Name)
	}
	var flat []any
	flatten(data, &flat)
	if int64(len(flat)) != count {
		return oip.Tensor{}, fmt.Errorf("unexpected number of elements for input '%s': shape %s needs %d, got %d", in.Name, dims(shape), count, len(flat))
	}
	typed, err := typedData(meta.Datatype, flat)
	if err != nil {
		return oip.Tensor{}, fmt.Errorf("input '%s' (%s): %v", in.Name, meta.Datatype, err)
	}
	return oip.Tensor{Name: in.Name, Datatype: meta.Datatype, Shape: shape, Data: typed, Parameters: in.Parameters}, nil
}

func shapeFits(got, want []int64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if want[i] >= 0 && got[i] != want[i] {
			return false
		}
	}
	return true
}

// dims writes a shape as Triton does: [-1,4].
func dims(s []int64) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.FormatInt(d, 10)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// flatten appends the scalars of a decoded JSON value in row-major order.
func flatten(v any, out *[]any) {
	if a, ok := v.([]any); ok {
		for _, e := range a {
			flatten(e, out)
		}
		return
	}
	*out = append(*out, v)
}

// typedData converts decoded JSON scalars into the Go slice of a datatype.
func typedData(dt oip.Datatype, flat []any) (any, error) {
	switch dt {
	case oip.Bool:
		return each(flat, func(v any) (bool, error) {
			b, ok := v.(bool)
			if !ok {
				return false, fmt.Errorf("%v is not a boolean", v)
			}
			return b, nil
		})
	case oip.Uint8:
		return each(flat, uintOf[uint8](8))
	case oip.Uint16:
		return each(flat, uintOf[uint16](16))
	case oip.Uint32:
		return each(flat, uintOf[uint32](32))
	case oip.Uint64:
		return each(flat, uintOf[uint64](64))
	case oip.Int8:
		return each(flat, intOf[int8](8))
	case oip.Int16:
		return each(flat, intOf[int16](16))
	case oip.Int32:
		return each(flat, intOf[int32](32))
	case oip.Int64:
		return each(flat, intOf[int64](64))
	case oip.FP16, oip.FP32:
		return each(flat, func(v any) (float32, error) {
			f, err := number(v, 32)
			return float32(f), err
		})
	case oip.FP64:
		return each(flat, func(v any) (float64, error) { return number(v, 64) })
	case oip.Bytes:
		return each(flat, func(v any) (string, error) {
			s, ok := v.(string)
			if !ok {
				return "", fmt.Errorf("%v is not a string", v)
			}
			return s, nil
		})
	}
	return nil, fmt.Errorf("unknown datatype %s", dt)
}

func each[T any](flat []any, conv func(any) (T, error)) ([]T, error) {
	out := make([]T, len(flat))
	for i, v := range flat {
		x, err := conv(v)
		if err != nil {
			return nil, fmt.Errorf("element %d: %v", i, err)
		}
		out[i] = x
	}
	return out, nil
}

func uintOf[T uint8 | uint16 | uint32 | uint64](bits int) func(any) (T, error) {
	return func(v any) (T, error) {
		n, ok := v.(json.Number)
		if !ok {
			return 0, fmt.Errorf("%v is not a number", v)
		}
		u, err := strconv.ParseUint(string(n), 10, bits)
		if err != nil {
			return 0, fmt.Errorf("%s is not a UINT%d", n, bits)
		}
		return T(u), nil
	}
}

func intOf[T int8 | int16 | int32 | int64](bits int) func(any) (T, error) {
	return func(v any) (T, error) {
		n, ok := v.(json.Number)
		if !ok {
			return 0, fmt.Errorf("%v is not a number", v)
		}
		i, err := strconv.ParseInt(string(n), 10, bits)
		if err != nil {
			return 0, fmt.Errorf("%s is not an INT%d", n, bits)
		}
		return T(i), nil
	}
}

func number(v any, bits int) (float64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%v is not a number", v)
	}
	f, err := strconv.ParseFloat(string(n), bits)
	if err != nil {
		return 0, fmt.Errorf("%s is not an FP%d", n, bits)
	}
	return f, nil
}
