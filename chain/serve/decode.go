package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/chorus-go/chorus/chain/schema"
)

// requestDecoder validates request bodies against In's schema and decodes
// them into In, in memory bounded by the body's size (see bodyChecker).
type requestDecoder[In any] struct {
	check   *bodyChecker
	wrapped bool // In sits under "value"
}

func newRequestDecoder[In any](in *schema.Schema[In]) (*requestDecoder[In], error) {
	chk, err := newChecker(in.JSON())
	if err != nil {
		return nil, err
	}
	return &requestDecoder[In]{check: chk, wrapped: isWrapped(in)}, nil
}

// isWrapped reports whether in's documents hold the value under "value":
// then Encode writes more than json.Marshal does.
func isWrapped[In any](in *schema.Schema[In]) bool {
	var zero In
	enc, err1 := in.Encode(zero)
	raw, err2 := json.Marshal(zero)
	if err1 != nil || err2 != nil {
		k := reflect.TypeFor[In]()
		for k.Kind() == reflect.Pointer {
			k = k.Elem()
		}
		return k.Kind() != reflect.Struct && k.Kind() != reflect.Map
	}
	return !bytes.Equal(enc, raw)
}

// decode validates body, a JSON object, and decodes it; or it returns the
// failure to send.
func (d *requestDecoder[In]) decode(body []byte) (In, failure, bool) {
	var zero In
	if !json.Valid(body) {
		return zero, syntaxFailure(body), false
	}
	details, err := d.check.check(body)
	if err != nil {
		return zero, newFailure(http.StatusBadRequest, CodeInvalidJSON, "the request body is not valid JSON"), false
	}
	if len(details) > 0 {
		return zero, newFailure(http.StatusBadRequest, CodeInvalidRequest, "the request body does not match the input schema", details...), false
	}
	v, err := d.typed(body)
	if err != nil {
		// JSON Schema counts 3.0 as an integer, encoding/json does not:
		// write whole numbers as integers and try again.
		if b, ok := wholeNumbers(body); ok {
			if v2, err2 := d.typed(b); err2 == nil {
				return v2, failure{}, true
			}
		}
		f := newFailure(http.StatusBadRequest, CodeInvalidRequest, "the request body does not fit the input type")
		if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) {
			var path []string
			if te.Field != "" {
				path = strings.Split(te.Field, ".")
			}
			f.info.Details = []Detail{{Path: boundText(pointer(path)), Message: "cannot hold the " + te.Value + " given"}}
		}
		return zero, f, false
	}
	return v, failure{}, true
}

// typed decodes body into In.
func (d *requestDecoder[In]) typed(body []byte) (In, error) {
	if d.wrapped {
		var w struct {
			Value In `json:"value"`
		}
		err := json.Unmarshal(body, &w)
		return w.Value, err
	}
	var v In
	err := json.Unmarshal(body, &v)
	return v, err
}

// syntaxFailure says why body is not valid JSON. It reads the body with
// encoding/json's scanner only: no tree is built.
func syntaxFailure(body []byte) failure {
	err := json.Unmarshal(body, new(json.RawMessage))
	msg := "invalid JSON"
	if err != nil {
		msg = boundText(err.Error())
	}
	return newFailure(http.StatusBadRequest, CodeInvalidJSON, "the request body is not valid JSON", Detail{Message: msg})
}

// wholeNumbers rewrites the numbers of the valid JSON doc that are whole
// but written with a fraction or an exponent (3.0, 1e2) as integers. It
// reports whether it changed anything.
func wholeNumbers(doc []byte) ([]byte, bool) {
	out := make([]byte, 0, len(doc))
	changed := false
	for i := 0; i < len(doc); {
		c := doc[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(doc) && doc[j] != '"' {
				if doc[j] == '\\' {
					j++
				}
				j++
			}
			out = append(out, doc[i:min(j+1, len(doc))]...)
			i = j + 1
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(doc) && strings.IndexByte("0123456789.eE+-", doc[j]) >= 0 {
				j++
			}
			num := doc[i:j]
			if bytes.ContainsAny(num, ".eE") {
				if f, err := strconv.ParseFloat(string(num), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
					out = strconv.AppendInt(out, int64(f), 10)
					changed = true
					i = j
					continue
				}
			}
			out = append(out, num...)
			i = j
		default:
			out = append(out, c)
			i++
		}
	}
	return out, changed
}
