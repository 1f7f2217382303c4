package oip

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

func TestEncodeDecodeEveryDatatype(t *testing.T) {
	for _, tc := range []Tensor{
		{Name: "b", Datatype: Bool, Shape: []int64{3}, Data: []bool{true, false, true}},
		{Name: "u8", Datatype: Uint8, Shape: []int64{3}, Data: []uint8{0, 128, 255}},
		{Name: "u16", Datatype: Uint16, Shape: []int64{2}, Data: []uint16{0, math.MaxUint16}},
		{Name: "u32", Datatype: Uint32, Shape: []int64{2}, Data: []uint32{1, math.MaxUint32}},
		{Name: "u64", Datatype: Uint64, Shape: []int64{2}, Data: []uint64{1, math.MaxUint64}},
		{Name: "i8", Datatype: Int8, Shape: []int64{2}, Data: []int8{math.MinInt8, math.MaxInt8}},
		{Name: "i16", Datatype: Int16, Shape: []int64{2}, Data: []int16{math.MinInt16, math.MaxInt16}},
		{Name: "i32", Datatype: Int32, Shape: []int64{2}, Data: []int32{math.MinInt32, math.MaxInt32}},
		{Name: "i64", Datatype: Int64, Shape: []int64{2}, Data: []int64{math.MinInt64, math.MaxInt64}},
		{Name: "f16", Datatype: FP16, Shape: []int64{2}, Data: []float32{0.5, -2}},
		{Name: "f32", Datatype: FP32, Shape: []int64{2, 2}, Data: []float32{0.1, 1e-7, 3.4e38, -0}},
		{Name: "f64", Datatype: FP64, Shape: []int64{2}, Data: []float64{math.Pi, 1e-300}},
		{Name: "s", Datatype: Bytes, Shape: []int64{3}, Data: []string{"", `quote " and \ slash`, "naïve <html>"}},
	} {
		t.Run(string(tc.Datatype), func(t *testing.T) {
			if err := tc.Validate(); err != nil {
				t.Fatal(err)
			}
			w := encodeTensor(tc)
			if !json.Valid(w.Data) {
				t.Fatalf("invalid JSON data %s", w.Data)
			}
			got, err := decodeTensor(w)
			if err != nil {
				t.Fatalf("decode %s: %v", w.Data, err)
			}
			if !reflect.DeepEqual(got.Data, tc.Data) {
				t.Errorf("round trip of %s: got %v, want %v", w.Data, got.Data, tc.Data)
			}
		})
	}
}

func TestDecodeData(t *testing.T) {
	for _, tc := range []struct {
		dt    Datatype
		shape []int64
		data  string
		want  any
		ok    bool
	}{
		{FP32, []int64{2, 2}, `[[1, 2], [3, 4.5]]`, []float32{1, 2, 3, 4.5}, true},
		{Int64, []int64{2, 1, 2}, `[[[1, 2]], [[3, 4]]]`, []int64{1, 2, 3, 4}, true},
		{Int64, []int64{}, `42`, []int64{42}, true},
		{Int32, []int64{2}, `[1.0, 2e0]`, []int32{1, 2}, true},
		{Uint8, []int64{1}, `[256]`, nil, false},
		{Uint8, []int64{1}, `[-1]`, nil, false},
		{Int8, []int64{1}, `[1.5]`, nil, false},
		{Bool, []int64{2}, `[true, 1]`, nil, false},
		{Bytes, []int64{1}, `[3]`, nil, false},
		{FP32, []int64{1}, `["1"]`, nil, false},
		{FP32, []int64{1}, `[1e39]`, nil, false},
		{FP64, []int64{1}, `[null]`, nil, false},
		{FP64, []int64{1}, `[{"a": 1}]`, nil, false},
		{FP32, []int64{3}, `[1, 2]`, nil, false},
		{FP32, []int64{1}, `[1, 2]`, nil, false},
		{FP32, []int64{1}, ``, nil, false},
		{"FP8", []int64{1}, `[1]`, nil, false},
	} {
		got, err := decodeTensor(wireTensor{Name: "x", Datatype: tc.dt, Shape: tc.shape, Data: json.RawMessage(tc.data)})
		if (err == nil) != tc.ok {
			t.Errorf("%s %v %s: error %v, want ok=%v", tc.dt, tc.shape, tc.data, err, tc.ok)
			continue
		}
		if tc.ok && !reflect.DeepEqual(got.Data, tc.want) {
			t.Errorf("%s %s = %v, want %v", tc.dt, tc.data, got.Data, tc.want)
		}
	}
}

// FuzzDecodeTensor checks that no server answer makes decoding panic, and
// that what decodes is a valid tensor.
func FuzzDecodeTensor(f *testing.F) {
	f.Add("FP32", int64(2), `[1, 2]`)
	f.Add("INT64", int64(2), `[[1], [2]]`)
	f.Add("BYTES", int64(1), `["a"]`)
	f.Add("BOOL", int64(1), `true`)
	f.Add("UINT8", int64(3), `[1,2,`)
	f.Fuzz(func(t *testing.T, dt string, n int64, data string) {
		if !json.Valid([]byte(data)) {
			return
		}
		got, err := decodeTensor(wireTensor{Name: "x", Datatype: Datatype(dt), Shape: []int64{n}, Data: json.RawMessage(data)})
		if err != nil {
			return
		}
		if got.Datatype == Bytes {
			return // the server's strings need not be UTF-8 we would send
		}
		if verr := got.Validate(); verr != nil {
			t.Fatalf("decoded %s %d %s into an invalid tensor: %v", dt, n, data, verr)
		}
	})
}
