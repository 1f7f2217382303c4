package oip

import (
	"fmt"
	"math"
	"slices"
	"unicode/utf8"
)

// Tensor is a named, typed, shaped array of elements: an input or an
// output of a model. Data holds the elements in row-major order (the last
// dimension varies fastest) as the Go slice of the datatype (see
// Datatype): []float32 for FP32 and FP16, []int64 for INT64, []string for
// BYTES, and so on. A valid tensor has as many elements as the product of
// its shape; Validate checks it.
type Tensor struct {
	Name     string
	Datatype Datatype
	Shape    []int64
	Data     any
	// Parameters are the tensor's optional protocol parameters: string,
	// number or boolean values.
	Parameters map[string]any
}

// NewTensor returns a tensor of the datatype of T (DatatypeOf), checked
// with Validate. The tensor keeps data and shape; do not change them while
// it is in use.
func NewTensor[T Element](name string, shape []int64, data []T) (Tensor, error) {
	t := Tensor{Name: name, Datatype: DatatypeOf[T](), Shape: shape, Data: data}
	return t, t.Validate()
}

// NewFP16 returns an FP16 tensor, its values held as float32 and sent as
// JSON numbers (the server rounds them to half precision).
func NewFP16(name string, shape []int64, data []float32) (Tensor, error) {
	t := Tensor{Name: name, Datatype: FP16, Shape: shape, Data: data}
	return t, t.Validate()
}

// Validate checks that the tensor is well formed: a name, a known
// datatype, Data of the datatype's slice type, no negative dimension, as
// many elements as the shape's product, finite numbers (JSON has no NaN or
// infinity) and, for BYTES, valid UTF-8 (binary data needs the protocol's
// binary extension, which this package does not implement). The error is
// a *TensorError matching ErrInvalidTensor.
func (t Tensor) Validate() error {
	if t.Name == "" {
		return invalidTensor(t.Name, "no name")
	}
	if !t.Datatype.Valid() {
		return invalidTensor(t.Name, "unknown datatype %q", t.Datatype)
	}
	n, ok := dataLen(t.Datatype, t.Data)
	if !ok {
		return invalidTensor(t.Name, "datatype %s wants data of type %s, got %T", t.Datatype, t.Datatype.GoType(), t.Data)
	}
	want, err := NumElements(t.Shape)
	if err != nil {
		return invalidTensor(t.Name, "%v", err)
	}
	if n != want {
		return invalidTensor(t.Name, "%d elements for shape %v, which holds %d", n, t.Shape, want)
	}
	switch v := t.Data.(type) {
	case []float32:
		for i, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return invalidTensor(t.Name, "element %d is %v, which JSON cannot carry", i, x)
			}
		}
	case []float64:
		for i, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return invalidTensor(t.Name, "element %d is %v, which JSON cannot carry", i, x)
			}
		}
	case []string:
		for i, s := range v {
			if !utf8.ValidString(s) {
				return invalidTensor(t.Name, "BYTES element %d is not valid UTF-8 (binary data needs the binary tensor extension, which this package does not implement)", i)
			}
		}
	}
	return nil
}

// Len returns the number of elements in Data, 0 when Data is not a
// slice of an element type.
func (t Tensor) Len() int {
	n, _ := dataLen(t.Datatype, t.Data) // the length whatever the datatype
	return n
}

// String describes the tensor without its data, such as
// `"input0" FP32 [2 4]`.
func (t Tensor) String() string {
	return fmt.Sprintf("%q %s %v", t.Name, t.Datatype, t.Shape)
}

// NumElements returns the number of elements of a tensor of this shape:
// the product of its dimensions, 1 for a scalar (no dimensions). It fails
// on a negative dimension or a product that overflows an int.
func NumElements(shape []int64) (int, error) {
	n := int64(1)
	for i, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("dimension %d of shape %v is negative", i, shape)
		}
		if d != 0 && n > math.MaxInt/d {
			return 0, fmt.Errorf("shape %v holds more elements than an int counts", shape)
		}
		n *= d
	}
	return int(n), nil
}

// Values returns the tensor's data as a []T, if its datatype's data is a
// []T (float32 for FP16 and FP32). The slice is the tensor's own. The
// error is a *TensorError matching ErrInvalidTensor.
func Values[T Element](t Tensor) ([]T, error) {
	v, ok := t.Data.([]T)
	if !ok {
		return nil, invalidTensor(t.Name, "%s data is %T, not []%T", t.Datatype, t.Data, *new(T))
	}
	if want := DatatypeOf[T](); t.Datatype != want && !(want == FP32 && t.Datatype == FP16) {
		return nil, invalidTensor(t.Name, "datatype %s does not hold []%T", t.Datatype, *new(T))
	}
	return v, nil
}

// Float64s returns the elements of any numeric tensor (integers, FP16,
// FP32, FP64) as float64s, in a new slice; models disagree on whether
// scores come as FP32 or FP64. BOOL and BYTES tensors are refused.
func Float64s(t Tensor) ([]float64, error) {
	switch v := t.Data.(type) {
	case []float64:
		return slices.Clone(v), nil
	case []float32:
		return convert(v, func(x float32) float64 { return float64(x) }), nil
	case []int64:
		return convert(v, func(x int64) float64 { return float64(x) }), nil
	case []int32:
		return convert(v, func(x int32) float64 { return float64(x) }), nil
	case []int16:
		return convert(v, func(x int16) float64 { return float64(x) }), nil
	case []int8:
		return convert(v, func(x int8) float64 { return float64(x) }), nil
	case []uint64:
		return convert(v, func(x uint64) float64 { return float64(x) }), nil
	case []uint32:
		return convert(v, func(x uint32) float64 { return float64(x) }), nil
	case []uint16:
		return convert(v, func(x uint16) float64 { return float64(x) }), nil
	case []uint8:
		return convert(v, func(x uint8) float64 { return float64(x) }), nil
	}
	return nil, invalidTensor(t.Name, "%s is not a numeric datatype", t.Datatype)
}

// Int64s returns the elements of any integer tensor as int64s, in a new
// slice; models disagree on whether class indexes come as INT32 or INT64.
// A UINT64 element above math.MaxInt64, and non-integer datatypes, are
// refused.
func Int64s(t Tensor) ([]int64, error) {
	switch v := t.Data.(type) {
	case []int64:
		return slices.Clone(v), nil
	case []int32:
		return convert(v, func(x int32) int64 { return int64(x) }), nil
	case []int16:
		return convert(v, func(x int16) int64 { return int64(x) }), nil
	case []int8:
		return convert(v, func(x int8) int64 { return int64(x) }), nil
	case []uint32:
		return convert(v, func(x uint32) int64 { return int64(x) }), nil
	case []uint16:
		return convert(v, func(x uint16) int64 { return int64(x) }), nil
	case []uint8:
		return convert(v, func(x uint8) int64 { return int64(x) }), nil
	case []uint64:
		out := make([]int64, len(v))
		for i, x := range v {
			if x > math.MaxInt64 {
				return nil, invalidTensor(t.Name, "UINT64 element %d (%d) does not fit an int64", i, x)
			}
			out[i] = int64(x)
		}
		return out, nil
	}
	return nil, invalidTensor(t.Name, "%s is not an integer datatype", t.Datatype)
}

func convert[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, x := range in {
		out[i] = f(x)
	}
	return out
}
