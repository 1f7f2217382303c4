package serve_test

import (
	"bytes"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/chorus-go/chorus/chain"
)

// Doc and Item are the types of the memory tests: a document with a list
// of items, the shape that lets a body hold many values.
type Doc struct {
	Title string `json:"title" jsonschema:"minLength=1"`
	Items []Item `json:"items"`
}

// Item is one element of Doc.Items.
type Item struct {
	Name  string  `json:"name" jsonschema:"minLength=1"`
	Score float64 `json:"score" jsonschema:"minimum=0,maximum=1"`
}

func countItems(d Doc) Resp { return Resp{Text: strconv.Itoa(len(d.Items))} }

// mib is the size of the bodies of the memory tests: the default body
// limit.
const mib = 1 << 20

// fill returns head, then elem repeated (separated by commas) for as long
// as the result, with tail, stays within size bytes, then tail.
func fill(head, elem, tail string, size int) []byte {
	var b bytes.Buffer
	b.WriteString(head)
	for i := 0; b.Len()+len(elem)+1+len(tail) <= size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(elem)
	}
	b.WriteString(tail)
	return b.Bytes()
}

// memoryBodies are 1 MiB bodies: valid ones, and invalid ones of the
// shapes that cost a validator the most (every element wrong, every
// element of the wrong type, many unknown properties).
func memoryBodies() []struct {
	name  string
	body  []byte
	valid bool
} {
	return []struct {
		name  string
		body  []byte
		valid bool
	}{
		{"valid", fill(`{"title":"t","items":[`, `{"name":"n","score":0.5}`, `]}`, mib), true},
		{"invalid/items-out-of-range", fill(`{"title":"t","items":[`, `{"name":"n","score":7}`, `]}`, mib), false},
		{"invalid/items-wrong-type", fill(`{"title":"t","items":[`, `1`, `]}`, mib), false},
		{"invalid/unknown-properties", unknownProps(mib), false},
	}
}

// unknownProps is a body with "title" and many properties the schema does
// not know.
func unknownProps(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"title":"t","items":[]`)
	for i := 0; b.Len() < size-32; i++ {
		b.WriteString(`,"p`)
		b.WriteString(strconv.Itoa(i))
		b.WriteString(`":0`)
	}
	b.WriteString(`}`)
	return b.Bytes()
}

// BenchmarkValidate1MiB serves one 1 MiB body, valid or not, through an
// Endpoint (ServeHTTP on a recorder): the cost per request of checking
// and decoding the largest body the default limit lets in. B/op is the
// memory one such request allocates.
func BenchmarkValidate1MiB(b *testing.B) {
	e := mustHandler(b, chain.Pure(countItems))
	for _, c := range memoryBodies() {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				req := httptest.NewRequest("POST", "/", bytes.NewReader(c.body))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				e.ServeHTTP(w, req)
				if want := map[bool]int{true: 200, false: 400}[c.valid]; w.Code != want {
					b.Fatalf("status %d, want %d: %.300s", w.Code, want, w.Body)
				}
			}
		})
	}
}
