package oip

import (
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/llm"
)

// Sentinel errors, for errors.Is.
var (
	// ErrInvalidTensor matches a *TensorError for a tensor that is not
	// well formed: no name, an unknown datatype, data of another Go type
	// than its datatype's, a negative dimension, or a number of elements
	// that is not the product of its shape.
	ErrInvalidTensor = errors.New("oip: invalid tensor")
	// ErrMismatch matches a *TensorError for a well-formed tensor the
	// model does not take, by its metadata: an unknown input or output
	// name, another datatype, or a shape that does not fit.
	ErrMismatch = errors.New("oip: tensor does not fit the model")
	// ErrNotReady matches the errors of Ready and ServerReady when the
	// server answered that the model (or the server) is not ready.
	ErrNotReady = errors.New("oip: not ready")
)

// TensorError is a tensor refused before anything was sent: Err is
// ErrInvalidTensor or ErrMismatch. It also matches llm.ErrInvalidRequest.
type TensorError struct {
	// Model is the model's name, when the tensor was checked against it.
	Model string
	// Tensor is the tensor's name.
	Tensor string
	// Reason says what is wrong.
	Reason string
	// Err is ErrInvalidTensor or ErrMismatch.
	Err error
}

// Error names the tensor and says what is wrong with it.
func (e *TensorError) Error() string {
	s := "oip: "
	if e.Model != "" {
		s += "model " + e.Model + ": "
	}
	return s + fmt.Sprintf("tensor %q: %s", e.Tensor, e.Reason)
}

// Is reports whether target is e.Err or llm.ErrInvalidRequest.
func (e *TensorError) Is(target error) bool {
	return target == e.Err || target == llm.ErrInvalidRequest
}

func invalidTensor(name, format string, args ...any) *TensorError {
	return &TensorError{Tensor: name, Reason: fmt.Sprintf(format, args...), Err: ErrInvalidTensor}
}

func mismatch(model, name, format string, args ...any) *TensorError {
	return &TensorError{Model: model, Tensor: name, Reason: fmt.Sprintf(format, args...), Err: ErrMismatch}
}
