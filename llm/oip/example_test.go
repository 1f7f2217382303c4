package oip_test

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm/oip"
	"github.com/chorus-go/chorus/llm/oip/oiptest"
)

// A classical model served by Triton (here the in-process server) becomes
// a chain of Go types: a Flower in, a Species out.
func Example() {
	srv := oiptest.NewServer(irisModel())
	defer srv.Close()

	model, err := oip.New(srv.URL(), "iris", oip.WithHTTPClient(srv.Client()))
	if err != nil {
		panic(err)
	}
	classify := chain.Named("iris", oip.Chain(model, encodeFlower, decodeSpecies, "label"))

	for _, f := range []Flower{{5.1, 3.5, 1.4, 0.2}, {6.4, 3.2, 4.5, 1.5}, {6.3, 3.3, 6.0, 2.5}} {
		s, err := classify.Run(context.Background(), f)
		fmt.Println(s, err)
	}
	_, err = model.Infer(context.Background(), []oip.Tensor{{Name: "features", Datatype: oip.FP32, Shape: []int64{1, 3}, Data: []float32{1, 2, 3}}})
	fmt.Println(err)
	// Output:
	// setosa <nil>
	// versicolor <nil>
	// virginica <nil>
	// oip: model iris: tensor "features": shape [1 3] does not fit [-1 4] (dimension 1)
}

func ExampleModel_Infer() {
	srv := oiptest.NewServer(irisModel())
	defer srv.Close()
	model, _ := oip.New(srv.URL(), "iris", oip.WithHTTPClient(srv.Client()))

	// A batch of two flowers: a [2, 4] FP32 tensor, row-major.
	features, _ := oip.FromRows("features", [][]float32{{5.0, 3.4, 1.5, 0.2}, {6.7, 3.0, 5.2, 2.3}})
	out, err := model.Infer(context.Background(), []oip.Tensor{features}, "probabilities", "label")
	if err != nil {
		panic(err)
	}
	probs, _ := oip.Rows[float32](out[0])
	labels, _ := oip.Int64s(out[1])
	fmt.Println(out[0], probs, labels)
	// Output:
	// "probabilities" FP32 [2 3] [[0.9 0.05 0.05] [0.05 0.05 0.9]] [0 2]
}

func ExampleNewTensor() {
	t, err := oip.NewTensor("tokens", []int64{2, 3}, []int64{101, 2023, 102, 101, 2003, 102})
	fmt.Println(t, err)
	i, _ := oip.Offset(t.Shape, 1, 1)
	fmt.Println(t.Data.([]int64)[i])

	_, err = oip.NewTensor("tokens", []int64{2, 3}, []int64{101, 2023})
	fmt.Println(err)
	// Output:
	// "tokens" INT64 [2 3] <nil>
	// 2003
	// oip: tensor "tokens": 2 elements for shape [2 3], which holds 6
}
