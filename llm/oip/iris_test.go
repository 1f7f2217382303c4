package oip_test

import (
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm/oip"
	"github.com/chorus-go/chorus/llm/oip/oiptest"
)

// irisModel is a stand-in for an ONNX iris classifier served by Triton:
// FP32 features [-1, 4] in, the INT64 class [-1] and FP32 probabilities
// [-1, 3] out. It decides on the petal length.
func irisModel() oiptest.Model {
	return oiptest.Model{
		Name:     "iris",
		Platform: "onnxruntime_onnx",
		Inputs:   []oip.TensorMetadata{{Name: "features", Datatype: oip.FP32, Shape: []int64{-1, 4}}},
		Outputs: []oip.TensorMetadata{
			{Name: "label", Datatype: oip.Int64, Shape: []int64{-1}},
			{Name: "probabilities", Datatype: oip.FP32, Shape: []int64{-1, 3}},
		},
		Infer: func(in []oip.Tensor) ([]oip.Tensor, error) {
			rows, err := oip.Rows[float32](in[0])
			if err != nil {
				return nil, err
			}
			labels := make([]int64, len(rows))
			probs := make([]float32, 0, 3*len(rows))
			for i, r := range rows {
				switch petal := r[2]; {
				case petal < 2.5:
					labels[i] = 0
				case petal < 4.9:
					labels[i] = 1
				default:
					labels[i] = 2
				}
				p := []float32{0.05, 0.05, 0.05}
				p[labels[i]] = 0.9
				probs = append(probs, p...)
			}
			label, err := oip.NewTensor("label", []int64{int64(len(rows))}, labels)
			if err != nil {
				return nil, err
			}
			prob, err := oip.NewTensor("probabilities", []int64{int64(len(rows)), 3}, probs)
			return []oip.Tensor{label, prob}, err
		},
	}
}

// Flower is the input of the typed iris chain.
type Flower struct {
	SepalLength, SepalWidth, PetalLength, PetalWidth float32
}

// Species is the output of the typed iris chain.
type Species string

var species = []Species{"setosa", "versicolor", "virginica"}

func encodeFlower(f Flower) ([]oip.Tensor, error) {
	t, err := oip.FromRows("features", [][]float32{{f.SepalLength, f.SepalWidth, f.PetalLength, f.PetalWidth}})
	return []oip.Tensor{t}, err
}

func decodeSpecies(out []oip.Tensor) (Species, error) {
	labels, err := oip.Int64s(out[0])
	if err != nil {
		return "", err
	}
	if len(labels) != 1 || labels[0] < 0 || labels[0] >= int64(len(species)) {
		return "", fmt.Errorf("unexpected labels %v", labels)
	}
	return species[labels[0]], nil
}

// irisChain is the typed chain over a model.
func irisChain(m oip.Inferer) chain.Chain[Flower, Species] {
	return oip.Chain(m, encodeFlower, decodeSpecies, "label")
}
