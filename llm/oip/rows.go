package oip

import "fmt"

// FromRows returns the 2-D tensor [len(rows), len(rows[0])] of the rows,
// flattened in row-major order (a batch of feature vectors, say), of the
// datatype of T. Rows must all have the same length. No rows give the
// shape [0, 0].
func FromRows[T Element](name string, rows [][]T) (Tensor, error) {
	cols := 0
	if len(rows) > 0 {
		cols = len(rows[0])
	}
	data := make([]T, 0, len(rows)*cols)
	for i, r := range rows {
		if len(r) != cols {
			return Tensor{}, invalidTensor(name, "row %d has %d values, row 0 has %d", i, len(r), cols)
		}
		data = append(data, r...)
	}
	return NewTensor(name, []int64{int64(len(rows)), int64(cols)}, data)
}

// Rows splits a 2-D tensor of []T data into its rows, which share the
// tensor's data. It fails when the tensor is not 2-D, not well formed, or
// does not hold []T.
func Rows[T Element](t Tensor) ([][]T, error) {
	if len(t.Shape) != 2 {
		return nil, invalidTensor(t.Name, "shape %v is not 2-D", t.Shape)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	data, err := Values[T](t)
	if err != nil {
		return nil, err
	}
	n, m := int(t.Shape[0]), int(t.Shape[1])
	rows := make([][]T, n)
	for i := range rows {
		rows[i] = data[i*m : (i+1)*m : (i+1)*m]
	}
	return rows, nil
}

// Offset returns the position in row-major data of the element at index
// in a tensor of this shape: for shape [2, 3], index [1, 2] is at 5. It
// fails when the index has the wrong number of dimensions or is out of
// range.
func Offset(shape []int64, index ...int64) (int, error) {
	if len(index) != len(shape) {
		return 0, fmt.Errorf("oip: index %v has %d dimensions, shape %v has %d", index, len(index), shape, len(shape))
	}
	if _, err := NumElements(shape); err != nil {
		return 0, fmt.Errorf("oip: %w", err)
	}
	off := int64(0)
	for i, x := range index {
		if x < 0 || x >= shape[i] {
			return 0, fmt.Errorf("oip: index %v is out of range for shape %v", index, shape)
		}
		off = off*shape[i] + x
	}
	return int(off), nil
}
