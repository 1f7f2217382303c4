package oip

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// The protocol's JSON objects.

type wireTensor struct {
	Name       string          `json:"name"`
	Shape      []int64         `json:"shape"`
	Datatype   Datatype        `json:"datatype"`
	Parameters map[string]any  `json:"parameters,omitempty"`
	Data       json.RawMessage `json:"data"`
}

type wireOutput struct {
	Name string `json:"name"`
}

type wireRequest struct {
	ID         string         `json:"id,omitempty"`
	Parameters map[string]any `json:"parameters,omitempty"`
	Inputs     []wireTensor   `json:"inputs"`
	Outputs    []wireOutput   `json:"outputs,omitempty"`
}

type wireResponse struct {
	ModelName    string         `json:"model_name"`
	ModelVersion string         `json:"model_version"`
	ID           string         `json:"id"`
	Parameters   map[string]any `json:"parameters"`
	Outputs      []wireTensor   `json:"outputs"`
}

type wireMetadata struct {
	Name     string           `json:"name"`
	Versions []string         `json:"versions"`
	Platform string           `json:"platform"`
	Inputs   []TensorMetadata `json:"inputs"`
	Outputs  []TensorMetadata `json:"outputs"`
}

// encodeTensor turns a valid tensor into its JSON object, data flattened.
func encodeTensor(t Tensor) wireTensor {
	return wireTensor{Name: t.Name, Shape: shapeOrEmpty(t.Shape), Datatype: t.Datatype, Parameters: t.Parameters, Data: encodeData(t.Data)}
}

func shapeOrEmpty(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

// encodeData writes a valid tensor's data as a flat JSON array, without
// reflection (and []uint8 as numbers, where encoding/json would write
// base64).
func encodeData(data any) json.RawMessage {
	var b []byte
	switch v := data.(type) {
	case []bool:
		b = appendAll(b, v, strconv.AppendBool)
	case []uint8:
		b = appendAll(b, v, func(b []byte, x uint8) []byte { return strconv.AppendUint(b, uint64(x), 10) })
	case []uint16:
		b = appendAll(b, v, func(b []byte, x uint16) []byte { return strconv.AppendUint(b, uint64(x), 10) })
	case []uint32:
		b = appendAll(b, v, func(b []byte, x uint32) []byte { return strconv.AppendUint(b, uint64(x), 10) })
	case []uint64:
		b = appendAll(b, v, func(b []byte, x uint64) []byte { return strconv.AppendUint(b, x, 10) })
	case []int8:
		b = appendAll(b, v, func(b []byte, x int8) []byte { return strconv.AppendInt(b, int64(x), 10) })
	case []int16:
		b = appendAll(b, v, func(b []byte, x int16) []byte { return strconv.AppendInt(b, int64(x), 10) })
	case []int32:
		b = appendAll(b, v, func(b []byte, x int32) []byte { return strconv.AppendInt(b, int64(x), 10) })
	case []int64:
		b = appendAll(b, v, func(b []byte, x int64) []byte { return strconv.AppendInt(b, x, 10) })
	case []float32:
		b = appendAll(b, v, func(b []byte, x float32) []byte { return strconv.AppendFloat(b, float64(x), 'g', -1, 32) })
	case []float64:
		b = appendAll(b, v, func(b []byte, x float64) []byte { return strconv.AppendFloat(b, x, 'g', -1, 64) })
	case []string:
		b = appendAll(b, v, func(b []byte, s string) []byte {
			q, _ := json.Marshal(s) // valid UTF-8, checked by Validate
			return append(b, q...)
		})
	default:
		b = []byte("[]")
	}
	return b
}

func appendAll[T any](b []byte, v []T, add func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = add(b, x)
	}
	return append(b, ']')
}

// decodeTensor turns an output's JSON object into a tensor, checking that
// its data fits its shape and datatype.
func decodeTensor(w wireTensor) (Tensor, error) {
	t := Tensor{Name: w.Name, Datatype: w.Datatype, Shape: w.Shape, Parameters: w.Parameters}
	if !w.Datatype.Valid() {
		return t, fmt.Errorf("output %q has the unknown datatype %q", w.Name, w.Datatype)
	}
	want, err := NumElements(w.Shape)
	if err != nil {
		return t, fmt.Errorf("output %q: %w", w.Name, err)
	}
	if len(w.Data) == 0 {
		return t, fmt.Errorf("output %q has no data (binary tensor data is not supported)", w.Name)
	}
	data, n, err := decodeData(w.Datatype, w.Data, min(want, len(w.Data)))
	if err != nil {
		return t, fmt.Errorf("output %q (%s): %w", w.Name, w.Datatype, err)
	}
	if n != want {
		return t, fmt.Errorf("output %q has %d elements for shape %v, which holds %d", w.Name, n, w.Shape, want)
	}
	t.Data = data
	return t, nil
}

// decodeData reads tensor data — a flat or nested JSON array, or a bare
// scalar — into the slice type of dt, and returns it with its length.
func decodeData(dt Datatype, raw json.RawMessage, capHint int) (any, int, error) {
	switch dt {
	case Bool:
		return decodeAs(raw, capHint, func(tok json.Token) (bool, error) {
			if b, ok := tok.(bool); ok {
				return b, nil
			}
			return false, fmt.Errorf("%v is not a boolean", tok)
		})
	case Uint8:
		return decodeAs(raw, capHint, unsigned[uint8](8))
	case Uint16:
		return decodeAs(raw, capHint, unsigned[uint16](16))
	case Uint32:
		return decodeAs(raw, capHint, unsigned[uint32](32))
	case Uint64:
		return decodeAs(raw, capHint, unsigned[uint64](64))
	case Int8:
		return decodeAs(raw, capHint, signed[int8](8))
	case Int16:
		return decodeAs(raw, capHint, signed[int16](16))
	case Int32:
		return decodeAs(raw, capHint, signed[int32](32))
	case Int64:
		return decodeAs(raw, capHint, signed[int64](64))
	case FP16, FP32:
		return decodeAs(raw, capHint, func(tok json.Token) (float32, error) {
			f, err := float(tok, 32)
			return float32(f), err
		})
	case FP64:
		return decodeAs(raw, capHint, func(tok json.Token) (float64, error) { return float(tok, 64) })
	case Bytes:
		return decodeAs(raw, capHint, func(tok json.Token) (string, error) {
			if s, ok := tok.(string); ok {
				return s, nil
			}
			return "", fmt.Errorf("%v is not a string", tok)
		})
	}
	return nil, 0, fmt.Errorf("unknown datatype %q", dt)
}

// decodeAs walks the JSON tokens of raw, flattening nested arrays, and
// converts each scalar with conv.
func decodeAs[T any](raw json.RawMessage, capHint int, conv func(json.Token) (T, error)) (any, int, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	out := make([]T, 0, capHint)
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, err
		}
		switch d := tok.(type) {
		case json.Delim:
			switch d {
			case '[':
				depth++
			case ']':
				depth--
			default:
				return nil, 0, fmt.Errorf("element %d: an object is not a tensor element", len(out))
			}
			continue
		case nil:
			return nil, 0, fmt.Errorf("element %d is null", len(out))
		}
		v, err := conv(tok)
		if err != nil {
			return nil, 0, fmt.Errorf("element %d: %w", len(out), err)
		}
		out = append(out, v)
		if depth == 0 {
			break // a bare scalar
		}
	}
	if depth != 0 {
		return nil, 0, errors.New("unbalanced brackets")
	}
	return out, len(out), nil
}

type unsignedInt interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64
}

type signedInt interface {
	~int8 | ~int16 | ~int32 | ~int64
}

func unsigned[T unsignedInt](bits int) func(json.Token) (T, error) {
	return func(tok json.Token) (T, error) {
		n, ok := tok.(json.Number)
		if !ok {
			return 0, fmt.Errorf("%v is not a number", tok)
		}
		u, err := strconv.ParseUint(string(n), 10, bits)
		if err != nil {
			f, ferr := strconv.ParseFloat(string(n), 64)
			if ferr != nil || f != math.Trunc(f) || f < 0 || f > math.Ldexp(1, bits)-1 {
				return 0, fmt.Errorf("%s is not a UINT%d", n, bits)
			}
			u = uint64(f)
		}
		return T(u), nil
	}
}

func signed[T signedInt](bits int) func(json.Token) (T, error) {
	return func(tok json.Token) (T, error) {
		n, ok := tok.(json.Number)
		if !ok {
			return 0, fmt.Errorf("%v is not a number", tok)
		}
		i, err := strconv.ParseInt(string(n), 10, bits)
		if err != nil {
			f, ferr := strconv.ParseFloat(string(n), 64)
			limit := math.Ldexp(1, bits-1)
			if ferr != nil || f != math.Trunc(f) || f < -limit || f > limit-1 {
				return 0, fmt.Errorf("%s is not an INT%d", n, bits)
			}
			i = int64(f)
		}
		return T(i), nil
	}
}

func float(tok json.Token, bits int) (float64, error) {
	n, ok := tok.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%v is not a number", tok)
	}
	f, err := strconv.ParseFloat(string(n), bits)
	if err != nil {
		return 0, fmt.Errorf("%s is not an FP%d", n, bits)
	}
	return f, nil
}
