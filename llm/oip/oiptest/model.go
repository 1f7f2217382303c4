package oiptest

import "github.com/chorus-go/chorus/llm/oip"

// Model is a model the server serves.
type Model struct {
	// Name is the model's name in URLs.
	Name string
	// Version, if set, is the only version the server knows of the model:
	// a request for another version gets a 404. Requests without a
	// version reach it too.
	Version string
	// Platform is what the metadata says runs the model ("onnxruntime_onnx").
	Platform string
	// Inputs and Outputs describe the model's tensors; -1 in a shape
	// matches any size.
	Inputs  []oip.TensorMetadata
	Outputs []oip.TensorMetadata
	// Infer computes the outputs from the inputs, which have been checked
	// against Inputs and are in the order of Inputs. Its error is answered
	// with HTTP 500. It runs on the server's handler goroutines, so must
	// be safe for concurrent use.
	Infer func(inputs []oip.Tensor) ([]oip.Tensor, error)
}
