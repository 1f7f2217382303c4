package oip_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/oip"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		t    oip.Tensor
		ok   bool
	}{
		{"fp32", oip.Tensor{Name: "x", Datatype: oip.FP32, Shape: []int64{2, 2}, Data: []float32{1, 2, 3, 4}}, true},
		{"fp16 as float32", oip.Tensor{Name: "x", Datatype: oip.FP16, Shape: []int64{2}, Data: []float32{1, 2}}, true},
		{"scalar", oip.Tensor{Name: "x", Datatype: oip.Int64, Shape: nil, Data: []int64{7}}, true},
		{"empty batch", oip.Tensor{Name: "x", Datatype: oip.FP32, Shape: []int64{0, 4}, Data: []float32{}}, true},
		{"bytes", oip.Tensor{Name: "x", Datatype: oip.Bytes, Shape: []int64{1}, Data: []string{"héllo"}}, true},
		{"no name", oip.Tensor{Datatype: oip.FP32, Shape: []int64{1}, Data: []float32{1}}, false},
		{"unknown datatype", oip.Tensor{Name: "x", Datatype: "FP8", Shape: []int64{1}, Data: []float32{1}}, false},
		{"wrong Go type", oip.Tensor{Name: "x", Datatype: oip.FP32, Shape: []int64{1}, Data: []float64{1}}, false},
		{"int64 data for INT32", oip.Tensor{Name: "x", Datatype: oip.Int32, Shape: []int64{1}, Data: []int64{1}}, false},
		{"too few elements", oip.Tensor{Name: "x", Datatype: oip.FP32, Shape: []int64{2, 2}, Data: []float32{1, 2, 3}}, false},
		{"negative dimension", oip.Tensor{Name: "x", Datatype: oip.FP32, Shape: []int64{-1, 2}, Data: []float32{1, 2}}, false},
		{"overflow", oip.Tensor{Name: "x", Datatype: oip.FP32, Shape: []int64{math.MaxInt64, 4}, Data: []float32{1}}, false},
		{"NaN", oip.Tensor{Name: "x", Datatype: oip.FP64, Shape: []int64{1}, Data: []float64{math.NaN()}}, false},
		{"infinity", oip.Tensor{Name: "x", Datatype: oip.FP32, Shape: []int64{1}, Data: []float32{float32(math.Inf(1))}}, false},
		{"binary bytes", oip.Tensor{Name: "x", Datatype: oip.Bytes, Shape: []int64{1}, Data: []string{"\xff\xfe"}}, false},
		{"nil data", oip.Tensor{Name: "x", Datatype: oip.FP32, Shape: []int64{1}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.t.Validate()
			if tc.ok {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var te *oip.TensorError
			if !errors.As(err, &te) || !errors.Is(err, oip.ErrInvalidTensor) || !errors.Is(err, llm.ErrInvalidRequest) {
				t.Fatalf("Validate = %v, want a *TensorError matching ErrInvalidTensor and llm.ErrInvalidRequest", err)
			}
			t.Log(err)
		})
	}
}

func TestNewTensorInfersDatatype(t *testing.T) {
	check := func(got oip.Tensor, err error, want oip.Datatype) {
		t.Helper()
		if err != nil || got.Datatype != want {
			t.Errorf("datatype %s (%v), want %s", got.Datatype, err, want)
		}
	}
	one := []int64{1}
	x, err := oip.NewTensor("b", one, []bool{true})
	check(x, err, oip.Bool)
	x, err = oip.NewTensor("u8", one, []uint8{1})
	check(x, err, oip.Uint8)
	x, err = oip.NewTensor("u16", one, []uint16{1})
	check(x, err, oip.Uint16)
	x, err = oip.NewTensor("u32", one, []uint32{1})
	check(x, err, oip.Uint32)
	x, err = oip.NewTensor("u64", one, []uint64{1})
	check(x, err, oip.Uint64)
	x, err = oip.NewTensor("i8", one, []int8{1})
	check(x, err, oip.Int8)
	x, err = oip.NewTensor("i16", one, []int16{1})
	check(x, err, oip.Int16)
	x, err = oip.NewTensor("i32", one, []int32{1})
	check(x, err, oip.Int32)
	x, err = oip.NewTensor("i64", one, []int64{1})
	check(x, err, oip.Int64)
	x, err = oip.NewTensor("f32", one, []float32{1})
	check(x, err, oip.FP32)
	x, err = oip.NewTensor("f64", one, []float64{1})
	check(x, err, oip.FP64)
	x, err = oip.NewTensor("s", one, []string{"a"})
	check(x, err, oip.Bytes)
	x, err = oip.NewFP16("h", one, []float32{1})
	check(x, err, oip.FP16)
}

func TestValuesAndConversions(t *testing.T) {
	half, _ := oip.NewFP16("h", []int64{2}, []float32{0.5, 1.5})
	if v, err := oip.Values[float32](half); err != nil || !slices.Equal(v, []float32{0.5, 1.5}) {
		t.Errorf("Values[float32](FP16) = %v, %v", v, err)
	}
	if _, err := oip.Values[float64](half); !errors.Is(err, oip.ErrInvalidTensor) {
		t.Errorf("Values[float64](FP16) error = %v", err)
	}
	ints, _ := oip.NewTensor("i", []int64{3}, []int32{-1, 0, 7})
	if f, err := oip.Float64s(ints); err != nil || !slices.Equal(f, []float64{-1, 0, 7}) {
		t.Errorf("Float64s = %v, %v", f, err)
	}
	if i, err := oip.Int64s(ints); err != nil || !slices.Equal(i, []int64{-1, 0, 7}) {
		t.Errorf("Int64s = %v, %v", i, err)
	}
	big, _ := oip.NewTensor("u", []int64{1}, []uint64{math.MaxUint64})
	if _, err := oip.Int64s(big); err == nil {
		t.Error("Int64s accepted a UINT64 above MaxInt64")
	}
	words, _ := oip.NewTensor("s", []int64{1}, []string{"x"})
	if _, err := oip.Float64s(words); err == nil {
		t.Error("Float64s accepted BYTES")
	}
	if _, err := oip.Int64s(half); err == nil {
		t.Error("Int64s accepted FP16")
	}
	if n := half.Len(); n != 2 {
		t.Errorf("Len = %d", n)
	}
}

func TestRowsAndOffset(t *testing.T) {
	m, err := oip.FromRows("m", [][]int64{{1, 2, 3}, {4, 5, 6}})
	if err != nil || !slices.Equal(m.Shape, []int64{2, 3}) || !slices.Equal(m.Data.([]int64), []int64{1, 2, 3, 4, 5, 6}) {
		t.Fatalf("FromRows = %v %v, %v", m, m.Data, err)
	}
	rows, err := oip.Rows[int64](m)
	if err != nil || len(rows) != 2 || !slices.Equal(rows[1], []int64{4, 5, 6}) {
		t.Fatalf("Rows = %v, %v", rows, err)
	}
	if _, err := oip.FromRows("ragged", [][]float32{{1, 2}, {3}}); !errors.Is(err, oip.ErrInvalidTensor) {
		t.Errorf("ragged rows: %v", err)
	}
	empty, err := oip.FromRows[float32]("e", nil)
	if err != nil || !slices.Equal(empty.Shape, []int64{0, 0}) {
		t.Errorf("no rows: %v, %v", empty, err)
	}
	vec, _ := oip.NewTensor("v", []int64{3}, []int64{1, 2, 3})
	if _, err := oip.Rows[int64](vec); err == nil {
		t.Error("Rows of a 1-D tensor")
	}
	for _, tc := range []struct {
		shape, index []int64
		want         int
		ok           bool
	}{
		{[]int64{2, 3}, []int64{1, 2}, 5, true},
		{[]int64{2, 3, 4}, []int64{1, 0, 3}, 15, true},
		{nil, nil, 0, true},
		{[]int64{2, 3}, []int64{2, 0}, 0, false},
		{[]int64{2, 3}, []int64{1}, 0, false},
		{[]int64{2, 3}, []int64{0, -1}, 0, false},
	} {
		got, err := oip.Offset(tc.shape, tc.index...)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Offset(%v, %v) = %d, %v", tc.shape, tc.index, got, err)
		}
	}
}
