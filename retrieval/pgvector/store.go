package pgvector

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/retrieval"
)

// Store is a retrieval.Store and retrieval.HybridSearcher in a PostgreSQL
// table with pgvector. It is safe for concurrent use. It does not own the
// pool: close the pool when done with the store.
type Store struct {
	pool    *pgxpool.Pool
	cfg     config
	dim     int
	version string    // the installed pgvector's extversion
	index   IndexKind // resolved: HNSW, IVFFlat or NoIndex

	table     string // quoted, schema-qualified
	name      string // unquoted, for regclass lookups and index names
	id, text  string // quoted columns
	md, emb   string
	tsv       string
	op        string // distance operator
	iterative bool   // pgvector >= 0.8: iterative index scans

	// Statements that depend only on the configuration, built by New.
	sqlStage, sqlUpsert, sqlDelete string
}

// Limits of pgvector's vector type and indexes.
const (
	maxDimensions      = 16000
	maxIndexDimensions = 2000
)

var workMemPattern = regexp.MustCompile(`^[0-9]+ ?(kB|MB|GB|TB)?$`)

// New returns a store of vectors of dimension dim in table, creating the
// extension, the table and (unless DeferIndex) its indexes if they do not
// exist (see the package documentation). A name that is not a plain
// identifier is ErrInvalidIdentifier; an option out of range is
// ErrInvalidConfig; an existing table of another shape is ErrSchema.
func New(ctx context.Context, pool *pgxpool.Pool, table string, dim int, opts ...Option) (*Store, error) {
	if pool == nil {
		return nil, fmt.Errorf("%w: nil pool", ErrInvalidConfig)
	}
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if err := cfg.check(table, dim); err != nil {
		return nil, err
	}
	s := &Store{pool: pool, cfg: cfg, dim: dim, name: table}
	s.table = quote(table)
	if cfg.schema != "" {
		s.table = pgx.Identifier{cfg.schema, table}.Sanitize()
	}
	s.id, s.text, s.md, s.emb, s.tsv = quote(cfg.cols.ID), quote(cfg.cols.Text), quote(cfg.cols.Metadata), quote(cfg.cols.Embedding), quote(cfg.cols.TSV)
	s.op = map[retrieval.Metric]string{retrieval.Cosine: "<=>", retrieval.L2: "<->", retrieval.InnerProduct: "<#>"}[cfg.metric]
	s.prepareSQL()
	if err := s.setup(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// prepareSQL builds the statements of Upsert and Delete.
func (s *Store) prepareSQL() {
	s.sqlStage = fmt.Sprintf("CREATE TEMP TABLE %s (id text, content text, metadata jsonb, embedding vector(%d)) ON COMMIT DROP", stageTable, s.dim)
	s.sqlUpsert = fmt.Sprintf(`INSERT INTO %[1]s (%[2]s, %[3]s, %[4]s, %[5]s)
SELECT id, content, metadata, embedding FROM %[6]s
ON CONFLICT (%[2]s) DO UPDATE SET %[3]s = EXCLUDED.%[3]s, %[4]s = EXCLUDED.%[4]s, %[5]s = EXCLUDED.%[5]s`,
		s.table, s.id, s.text, s.md, s.emb, stageTable)
	s.sqlDelete = fmt.Sprintf("DELETE FROM %s WHERE %s = ANY($1)", s.table, s.id)
}

// check validates the names and numbers of a configuration.
func (c *config) check(table string, dim int) error {
	names := []struct{ what, name string }{
		{"table", table},
		{"id column", c.cols.ID}, {"text column", c.cols.Text}, {"metadata column", c.cols.Metadata},
		{"embedding column", c.cols.Embedding}, {"tsvector column", c.cols.TSV},
	}
	if c.schema != "" {
		names = append(names, struct{ what, name string }{"schema", c.schema})
	}
	if c.textSearch != "" {
		names = append(names, struct{ what, name string }{"text search configuration", c.textSearch})
	}
	for _, n := range names {
		if err := checkIdent(n.what, n.name); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, col := range []string{c.cols.ID, c.cols.Text, c.cols.Metadata, c.cols.Embedding, c.cols.TSV} {
		if seen[col] {
			return fmt.Errorf("%w: two columns named %q", ErrInvalidConfig, col)
		}
		seen[col] = true
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case dim < 1 || dim > maxDimensions:
		return bad("dimension %d outside 1..%d", dim, maxDimensions)
	case !c.metric.Valid():
		return bad("unknown metric %v", c.metric)
	case c.index < AutoIndex || c.index > NoIndex:
		return bad("unknown index kind %d", c.index)
	case c.index != NoIndex && dim > maxIndexDimensions:
		return bad("pgvector indexes hold at most %d dimensions, got %d: use Index(NoIndex)", maxIndexDimensions, dim)
	case c.hnswM < 2 || c.hnswM > 100:
		return bad("HNSW m %d outside 2..100", c.hnswM)
	case c.efConstruction < 2*c.hnswM || c.efConstruction > 1000:
		return bad("HNSW ef_construction %d outside %d..1000", c.efConstruction, 2*c.hnswM)
	case c.efSearch < 0 || c.efSearch > 1000:
		return bad("ef_search %d outside 1..1000", c.efSearch)
	case c.lists < 0 || c.lists > 32768:
		return bad("IVFFlat lists %d outside 1..32768", c.lists)
	case c.probes < 0 || c.probes > 32768:
		return bad("probes %d outside 1..32768", c.probes)
	case c.batchSize < 1:
		return bad("batch size %d below 1", c.batchSize)
	case !workMemPattern.MatchString(c.workMem):
		return bad("maintenance_work_mem %q is not a size such as 512MB or 1GB", c.workMem)
	case c.candidates == nil:
		return bad("nil Candidates function")
	case c.maxText < 1:
		return bad("MaxTextBytes %d below 1", c.maxText)
	case c.maxInValues < 1 || c.maxFilterBytes < 1:
		return bad("FilterLimits(%d, %d): both must be at least 1", c.maxInValues, c.maxFilterBytes)
	case c.timeout < 0:
		return bad("negative StatementTimeout %v", c.timeout)
	}
	return nil
}

// Dimensions returns the vectors' dimension.
func (s *Store) Dimensions() int { return s.dim }

// Metric returns how the store compares vectors.
func (s *Store) Metric() retrieval.Metric { return s.cfg.metric }

// IndexKind returns the vector index the store builds: HNSW, IVFFlat or
// NoIndex (AutoIndex resolved against the installed pgvector).
func (s *Store) IndexKind() IndexKind { return s.index }

// IndexName returns the name of the vector index ("" with NoIndex).
func (s *Store) IndexName() string {
	if s.index == NoIndex {
		return ""
	}
	metric := map[retrieval.Metric]string{retrieval.Cosine: "cos", retrieval.L2: "l2", retrieval.InnerProduct: "ip"}[s.cfg.metric]
	return fitName(fmt.Sprintf("%s_%s_%s_%s", s.name, s.cfg.cols.Embedding, s.index, metric))
}

// PgvectorVersion returns the installed pgvector's version, such as
// "0.8.0".
func (s *Store) PgvectorVersion() string { return s.version }

// Table returns the quoted, possibly schema-qualified table name.
func (s *Store) Table() string { return s.table }

// Count returns the number of documents stored.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, "SELECT count(*) FROM "+s.table).Scan(&n)
	return n, wrap("count", err)
}

// Drop deletes the table and its indexes. The store is unusable after.
func (s *Store) Drop(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, "DROP TABLE IF EXISTS "+s.table)
	return wrap("drop", err)
}

var _ retrieval.HybridSearcher = (*Store)(nil)

// errNoRows reports pgx's no-rows error.
func errNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
