package retrieval

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Document is a piece of text to be found again: its ID (unique within a
// store), its text, JSON metadata and its embedding.
//
// Metadata values must be what JSON can hold: strings, numbers, booleans,
// nil, slices and maps of them (or Go values that encode to those). Stores
// keep metadata in its JSON form, so what a search returns is what a JSON
// round trip gives: numbers come back as float64, slices as []any and
// structs as map[string]any.
//
// Score is set by searches: the document's similarity to the query under
// the store's Metric (for hybrid search, its fused rank score). It is
// ignored when storing.
type Document struct {
	ID        string
	Text      string
	Metadata  map[string]any
	Embedding []float32
	Score     float64
}

// Validate reports whether d can be stored in a store of dimension dim
// (0 accepts any length) that scores with metric m: it needs an ID and a
// non-blank text (valid UTF-8 without NUL characters), a valid embedding
// (see CheckVector) and metadata JSON can hold (see EncodeMetadata).
func (d Document) Validate(dim int, m Metric) error {
	_, err := Prepare(d, dim, m)
	return err
}

// Prepare validates d as Validate does and returns its metadata encoded
// as JSON. Store implementations call it for every document of a batch
// before writing any.
func Prepare(d Document, dim int, m Metric) (metadataJSON []byte, err error) {
	if d.ID == "" {
		return nil, ErrEmptyID
	}
	if err := checkString(d.ID); err != nil {
		return nil, fmt.Errorf("id: %w", err)
	}
	if strings.TrimSpace(d.Text) == "" {
		return nil, ErrEmptyText
	}
	if err := checkString(d.Text); err != nil {
		return nil, err
	}
	if err := CheckVector(d.Embedding, dim, m); err != nil {
		return nil, err
	}
	return EncodeMetadata(d.Metadata)
}

// checkString refuses invalid UTF-8 and NUL characters.
func checkString(s string) error {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return ErrInvalidText
	}
	return nil
}

// CheckVector reports whether v is a vector a store of dimension dim (0
// accepts any non-zero length) and metric m can hold: the right length,
// finite components, and, for Cosine, a non-zero norm.
func CheckVector(v []float32, dim int, m Metric) error {
	if len(v) == 0 || dim > 0 && len(v) != dim {
		return &DimensionError{Want: dim, Got: len(v)}
	}
	var norm float64
	for i, x := range v {
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%w: component %d is %v", ErrInvalidVector, i, x)
		}
		norm += f * f
	}
	if norm == 0 && m == Cosine {
		return fmt.Errorf("%w: zero vector has no direction (cosine metric)", ErrInvalidVector)
	}
	return nil
}
