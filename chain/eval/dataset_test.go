package eval_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/eval"
)

type invoiceFields struct {
	Total float64 `json:"total"`
}

func TestReadExamples(t *testing.T) {
	lines := `{"input": "Total 12", "want": {"total": 12}}

{"input": "Total 7.5", "want": {"total": 7.5}}
`
	array := ` [{"input": "Total 12", "want": {"total": 12}}, {"input": "Total 7.5", "want": {"total": 7.5}}]`
	for name, text := range map[string]string{"json lines": lines, "array": array} {
		data, err := eval.ReadExamples[string, invoiceFields](strings.NewReader(text))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(data) != 2 || data[1].Input != "Total 7.5" || data[1].Want.Total != 7.5 {
			t.Errorf("%s: %+v", name, data)
		}
	}
	if _, err := eval.ReadExamples[string, string](strings.NewReader("{\"input\": \"a\", \"want\": \"b\"}\n{\"input\": 3}\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad line: %v", err)
	}
	if data, err := eval.ReadExamples[string, string](strings.NewReader("  \n")); err != nil || len(data) != 0 {
		t.Errorf("empty: %v %v", data, err)
	}
}

func TestHoldOut(t *testing.T) {
	data := make([]eval.Example[int, int], 10)
	for i := range data {
		data[i] = eval.Example[int, int]{Input: i, Want: i}
	}
	train, test := eval.HoldOut(data, 0.3, 1)
	if len(train) != 7 || len(test) != 3 {
		t.Fatalf("split %d/%d", len(train), len(test))
	}
	var all []int
	for _, e := range append(slices.Clone(train), test...) {
		all = append(all, e.Input)
	}
	slices.Sort(all)
	if !slices.Equal(all, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("split lost or repeated examples: %v", all)
	}
	train2, test2 := eval.HoldOut(data, 0.3, 1)
	if !slices.Equal(test, test2) || !slices.Equal(train, train2) {
		t.Error("same seed, different split")
	}
	if data[0].Input != 0 || data[9].Input != 9 {
		t.Error("HoldOut modified its input")
	}
	if _, err := chain.Build(func() int { eval.HoldOut(data, 1.5, 1); return 0 }); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("bad fraction: %v", err)
	}
}
