// Package pgvector is a retrieval.Store in PostgreSQL with the pgvector
// extension, on pgx/v5 (pgxpool) and pgvector-go.
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	store, err := pgvector.New(ctx, pool, "documents", 384)
//	err = store.Upsert(ctx, docs)
//	found, err := store.Search(ctx, queryVector, 5, retrieval.Where(retrieval.Eq("lang", "en")))
//
// (Example holds a complete bulk load and search; it needs a database, so
// it has no Output and does not run. The package's tests run against one
// when CHORUS_TEST_DATABASE_URL is set.)
//
// # Schema
//
// New creates, if they do not exist, the vector extension, the table
//
//	id        text PRIMARY KEY
//	content   text NOT NULL
//	metadata  jsonb NOT NULL
//	embedding vector(dim) NOT NULL
//	tsv       tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED
//
// and its indexes: HNSW on the embedding when the installed pgvector has it
// (0.5 or later), IVFFlat otherwise, with the operator class of the metric
// (cosine, L2 or inner product); GIN on the metadata (jsonb_path_ops, for
// @> filters) and on tsv. Creation is idempotent and serialised by an
// advisory lock, so several processes may call New at once. An existing
// table is checked: a column of another type or dimension is an error. The
// table, schema and column names must match ^[a-z_][a-z0-9_]{0,62}$ and are
// always quoted (pgx.Identifier.Sanitize); every value goes to the server
// as a bind parameter.
//
// With DeferIndex, New creates only the table; load the documents, then
// call CreateIndex, which builds every index with maintenance_work_mem
// raised for its own transaction. Building an HNSW index after a bulk load
// is about 40 times faster than keeping it up to date during the load.
//
// # Ingest
//
// Upsert checks every document first (nothing is written if one is
// refused), then writes batches of BatchSize documents, each in one
// transaction: COPY (pgx CopyFrom) into a temporary table, then one
// INSERT ... SELECT ... ON CONFLICT (id) DO UPDATE. This keeps upsert
// semantics at COPY speed. A batch is all or nothing: if the connection
// dies, the server rolls it back and the batches committed before it stay.
// The error is a *BatchError saying how many documents were committed;
// errors of a lost connection are marked retryable for chain.Retry, and
// upserting the same documents again is always safe.
//
// # Search
//
// Search runs a plain
//
//	SELECT ... ORDER BY embedding <=> $1 LIMIT $2
//
// (<->, <#> for L2 and inner product) so that PostgreSQL uses the vector
// index; Explain shows the plan. The statement runs in one round trip with
// its settings applied by SET LOCAL (set_config(..., true)) in the same
// implicit transaction: hnsw.ef_search (EFSearch, default 40, raised to k)
// or ivfflat.probes (Probes), and, when there is a metadata filter (or k is
// above 1000), hnsw.iterative_scan = relaxed_order (pgvector 0.8 and
// later), so that a filter still yields k rows; the few rows that relaxed
// order may return out of order are sorted again by distance. Iterative
// scans stop after hnsw.max_scan_tuples (20,000 by default): a filter
// matching very few rows of a large table may return fewer than k.
//
// Filters (retrieval.Filter) become SQL on the jsonb column with bind
// parameters only: Eq and Contains as containment (metadata @> $n, which
// the GIN index serves), In as (metadata -> $k) = ANY($n::jsonb[]) (the
// key's value is taken once per row; testing containment once per value
// would detoast the whole metadata once per value), the numeric
// comparisons as a comparison of (metadata -> $k)::float8 guarded by
// jsonb_typeof, And and Or as AND and OR.
//
// Scores follow retrieval.Metric: cosine similarity in [-1, 1] (1 minus
// the cosine distance), 1/(1 + Euclidean distance) for L2, the dot
// product for inner product. MinScore is applied to the k nearest rows.
//
// # Limits
//
// What could hurt the server is refused before anything is sent, with
// errors that name the culprit and stay short (values are shortened in
// messages, see retrieval.Abbrev):
//
//   - Upsert: an ID longer than MaxIDBytes (1 KiB) or a text longer than
//     MaxTextBytes (default 512 KiB, below the 1 MiB a tsvector may hold),
//     NUL characters and invalid UTF-8 in IDs, texts and metadata keys and
//     values: a *retrieval.DocumentError (retrieval.ErrInvalidDocument)
//     with the document's index and ID, and nothing is written.
//   - Search and HybridSearch: an In filter with more than
//     DefaultMaxInValues (1000) values, or a filter whose keys and values
//     take more than DefaultMaxFilterBytes (64 KiB), matches
//     retrieval.ErrInvalidFilter (FilterLimits changes both).
//
// Every search statement and every statement of an Upsert batch runs with
// SET LOCAL statement_timeout (StatementTimeout, default 30 s), so the
// server cancels a runaway statement by itself (SQLSTATE 57014). The first
// time a connection prepares a search statement, the preparation runs
// before the setting applies; executions are covered.
//
// A search or upsert whose context is cancelled or expires stops on the
// server too, within a fraction of a second: pgx by default only closes
// its end of the connection (and may first read what the server sends
// for up to 15 s), and PostgreSQL goes on running a statement that does
// not write to the client, so the store sends a cancel request for the
// connection's backend (on a new connection, as PostgreSQL wants) and
// closes the connection's socket at once; the pool drops it, so a late
// cancel cannot hit the next statement on it. PostgreSQL ignores a cancel
// request that reaches the backend between two messages of a pipeline,
// and a proxy may lose it; so every statement also runs with SET LOCAL
// client_connection_check_interval = 100 ms (PostgreSQL 14 and newer, on
// Linux servers), and the backend ends its statement when it finds the
// client gone. This needs nothing in the pool's configuration. (A pool of
// your own can cancel its other queries the same way with
// pgconn.CancelRequestContextWatcherHandler as its
// ConnConfig.BuildContextWatcherHandler.)
//
// # Hybrid search
//
// HybridSearch ranks documents both by vector similarity and by full-text
// match (websearch_to_tsquery on the generated tsvector column, ranked by
// ts_rank_cd), fetching Candidates(k) rows of each, and fuses the two
// rankings by reciprocal rank fusion (k = 60, retrieval.FuseRRF). The two
// queries are two statements sent in one round trip inside one read-only
// REPEATABLE READ transaction, so they see the same snapshot; each keeps
// the shape its index needs, which a single statement joining both would
// not.
package pgvector
