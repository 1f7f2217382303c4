package oip

// Datatype is the datatype of a tensor's elements, as the protocol names
// it.
type Datatype string

// The protocol's datatypes, with the Go slice type that holds their data.
const (
	Bool   Datatype = "BOOL"   // []bool
	Uint8  Datatype = "UINT8"  // []uint8
	Uint16 Datatype = "UINT16" // []uint16
	Uint32 Datatype = "UINT32" // []uint32
	Uint64 Datatype = "UINT64" // []uint64
	Int8   Datatype = "INT8"   // []int8
	Int16  Datatype = "INT16"  // []int16
	Int32  Datatype = "INT32"  // []int32
	Int64  Datatype = "INT64"  // []int64
	FP16   Datatype = "FP16"   // []float32, sent as JSON numbers
	FP32   Datatype = "FP32"   // []float32
	FP64   Datatype = "FP64"   // []float64
	Bytes  Datatype = "BYTES"  // []string, sent as JSON strings
)

// Valid reports whether d is one of the protocol's datatypes.
func (d Datatype) Valid() bool {
	switch d {
	case Bool, Uint8, Uint16, Uint32, Uint64, Int8, Int16, Int32, Int64, FP16, FP32, FP64, Bytes:
		return true
	}
	return false
}

// GoType names the Go slice type that holds d's data, such as "[]float32".
func (d Datatype) GoType() string {
	switch d {
	case Bool:
		return "[]bool"
	case Uint8:
		return "[]uint8"
	case Uint16:
		return "[]uint16"
	case Uint32:
		return "[]uint32"
	case Uint64:
		return "[]uint64"
	case Int8:
		return "[]int8"
	case Int16:
		return "[]int16"
	case Int32:
		return "[]int32"
	case Int64:
		return "[]int64"
	case FP16, FP32:
		return "[]float32"
	case FP64:
		return "[]float64"
	case Bytes:
		return "[]string"
	}
	return "unknown"
}

// Element is the constraint of the typed tensor functions: the Go types of
// the protocol's datatypes.
type Element interface {
	bool | uint8 | uint16 | uint32 | uint64 | int8 | int16 | int32 | int64 | float32 | float64 | string
}

// DatatypeOf returns the datatype whose data is a []T: FP32 for float32
// (use NewFP16 for FP16), BYTES for string.
func DatatypeOf[T Element]() Datatype {
	var zero T
	switch any(zero).(type) {
	case bool:
		return Bool
	case uint8:
		return Uint8
	case uint16:
		return Uint16
	case uint32:
		return Uint32
	case uint64:
		return Uint64
	case int8:
		return Int8
	case int16:
		return Int16
	case int32:
		return Int32
	case int64:
		return Int64
	case float32:
		return FP32
	case float64:
		return FP64
	}
	return Bytes
}

// dataLen returns the number of elements of data (0 when data is not a
// slice of an element type) and whether data is the slice type of d.
func dataLen(d Datatype, data any) (int, bool) {
	switch v := data.(type) {
	case []bool:
		return len(v), d == Bool
	case []uint8:
		return len(v), d == Uint8
	case []uint16:
		return len(v), d == Uint16
	case []uint32:
		return len(v), d == Uint32
	case []uint64:
		return len(v), d == Uint64
	case []int8:
		return len(v), d == Int8
	case []int16:
		return len(v), d == Int16
	case []int32:
		return len(v), d == Int32
	case []int64:
		return len(v), d == Int64
	case []float32:
		return len(v), d == FP32 || d == FP16
	case []float64:
		return len(v), d == FP64
	case []string:
		return len(v), d == Bytes
	}
	return 0, false
}
