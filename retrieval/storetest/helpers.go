package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/chorus-go/chorus/retrieval"
)

// ctx returns a context that ends with the test or after a minute.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// vec returns the i-th test vector: deterministic, not unit length, with
// no two alike.
func vec(i int) []float32 {
	r := rand.New(rand.NewPCG(uint64(i)+1, 42))
	v := make([]float32, Dim)
	for j := range v {
		v[j] = float32(r.NormFloat64())
	}
	v[i%Dim] += 3
	return v
}

// doc returns test document i with metadata md.
func doc(i int, md map[string]any) retrieval.Document {
	return retrieval.Document{ID: fmt.Sprintf("doc-%02d", i), Text: fmt.Sprintf("text of document %d", i), Metadata: md, Embedding: vec(i)}
}

func upsert(t *testing.T, s retrieval.Store, docs ...retrieval.Document) {
	t.Helper()
	if err := s.Upsert(ctx(t), docs); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
}

func search(t *testing.T, s retrieval.Store, q []float32, k int, opts ...retrieval.SearchOption) []retrieval.Document {
	t.Helper()
	got, err := s.Search(ctx(t), q, k, opts...)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	checkOrdered(t, got)
	return got
}

// all returns every document of s (up to 1000), nearest to q first.
func all(t *testing.T, s retrieval.Store) []retrieval.Document {
	t.Helper()
	return search(t, s, vec(0), 1000)
}

func ids(docs []retrieval.Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out
}

func sortedIDs(docs []retrieval.Document) []string {
	out := ids(docs)
	sort.Strings(out)
	return out
}

func checkOrdered(t *testing.T, docs []retrieval.Document) {
	t.Helper()
	for i := 1; i < len(docs); i++ {
		if docs[i].Score > docs[i-1].Score+1e-9 {
			t.Fatalf("results not ordered by score: %s %.6f before %s %.6f", docs[i-1].ID, docs[i-1].Score, docs[i].ID, docs[i].Score)
		}
	}
	for _, d := range docs {
		if d.Score < -1-tolerance || d.Score > 1+tolerance || math.IsNaN(d.Score) {
			t.Fatalf("%s: cosine score %v outside [-1, 1]", d.ID, d.Score)
		}
	}
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: error %v, want one matching %v", what, err, target)
	}
}
