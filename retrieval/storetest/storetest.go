package storetest

import (
	"testing"

	"github.com/chorus-go/chorus/retrieval"
)

// Dim is the dimension of the vectors the contract tests store.
const Dim = 8

// tolerance is how far a store's score may be from the exact one: stores
// compute in float32.
const tolerance = 1e-4

// Run runs the contract tests against stores made by newStore, which must
// return a new, empty store of dimension Dim with the cosine metric, and
// release it in t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) retrieval.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s retrieval.Store)
	}{
		{"UpsertAndSearch", testUpsertAndSearch},
		{"UpdateByID", testUpdateByID},
		{"DuplicateIDsInBatch", testDuplicateIDs},
		{"Delete", testDelete},
		{"K", testK},
		{"MinScore", testMinScore},
		{"Filters", testFilters},
		{"InvalidFilters", testInvalidFilters},
		{"DimensionMismatch", testDimensionMismatch},
		{"InvalidDocuments", testInvalidDocuments},
		{"SQLInjection", testInjection},
		{"Embeddings", testEmbeddings},
		{"ResultsAreCopies", testResultsAreCopies},
		{"Unicode", testUnicode},
		{"CancelledContext", testCancelled},
		{"Concurrent", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore(t))
		})
	}
}
