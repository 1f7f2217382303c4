package pgvector

import (
	"context"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/storetest"
)

func TestContract(t *testing.T) {
	pool := newPool(t, nil)
	storetest.Run(t, func(t *testing.T) retrieval.Store { return newTestStore(t, pool, storetest.Dim) })
}

// The contract again with small batches, no index (exact scans) and
// renamed columns in another schema.
func TestContractVariants(t *testing.T) {
	pool := newPool(t, nil)
	schema := uniqueName("chorus_schema")
	exec(t, pool, "CREATE SCHEMA "+quote(schema))
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+quote(schema)+" CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	storetest.Run(t, func(t *testing.T) retrieval.Store {
		return newTestStore(t, pool, storetest.Dim, BatchSize(2), Index(NoIndex), Schema(schema),
			ColumnNames(Columns{ID: "doc_id", Text: "body", Metadata: "attrs", Embedding: "vec", TSV: "search"}))
	})
}
