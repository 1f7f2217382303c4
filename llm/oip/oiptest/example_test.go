package oiptest_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/chorus-go/chorus/llm/oip"
	"github.com/chorus-go/chorus/llm/oip/oiptest"
)

// A model that doubles its input, served in process, and called through
// package oip as it would call Triton or KServe. The server checks the
// request against the model's metadata: a tensor of another datatype is
// refused with HTTP 400, and a scripted failure answers the next call.
func Example() {
	srv := oiptest.NewServer(oiptest.Model{
		Name:    "double",
		Inputs:  []oip.TensorMetadata{{Name: "x", Datatype: oip.FP32, Shape: []int64{-1}}},
		Outputs: []oip.TensorMetadata{{Name: "y", Datatype: oip.FP32, Shape: []int64{-1}}},
		Infer: func(in []oip.Tensor) ([]oip.Tensor, error) {
			x := in[0].Data.([]float32)
			y := make([]float32, len(x))
			for i, v := range x {
				y[i] = 2 * v
			}
			return []oip.Tensor{{Name: "y", Datatype: oip.FP32, Shape: []int64{int64(len(y))}, Data: y}}, nil
		},
	})
	defer srv.Close() // in a test: oiptest.New(t, ...) closes it when the test ends

	// Retries off, to show the scripted failure (by default the model
	// would retry it and answer).
	model, err := oip.New(srv.URL(), "double", oip.WithHTTPClient(srv.Client()), oip.WithoutValidation(), oip.WithMaxRetries(0))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	x, _ := oip.NewTensor("x", []int64{3}, []float32{1, 2, 3})
	out, err := model.Infer(ctx, []oip.Tensor{x})
	fmt.Println(out[0], out[0].Data, err)

	wrong, _ := oip.NewTensor("x", []int64{3}, []int64{1, 2, 3})
	_, err = model.Infer(ctx, []oip.Tensor{wrong}) // WithoutValidation: the server refuses it
	fmt.Println(err)

	srv.Fail(http.StatusServiceUnavailable, "model is loading", 0)
	_, err = model.Infer(ctx, []oip.Tensor{x})
	fmt.Println(err)
	fmt.Println(srv.Inferences(), "inference computed")
	// Output:
	// "y" FP32 [3] [2 4 6] <nil>
	// oip double: HTTP 400: unexpected datatype INT64 for inference input 'x', expecting FP32
	// oip double: HTTP 503: model is loading
	// 1 inference computed
}
