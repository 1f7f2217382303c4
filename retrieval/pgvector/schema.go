package pgvector

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/chorus-go/chorus/retrieval"
)

// setup makes sure the extension, the table and (unless deferred) the
// indexes exist, and learns the pgvector version.
func (s *Store) setup(ctx context.Context) error {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return wrap("connect", err)
	}
	defer c.Release()
	if s.version, err = ensureExtension(ctx, c.Conn()); err != nil {
		return err
	}
	v := parseVersion(s.version)
	hasHNSW := !v.less(version{0, 5, 0})
	s.iterative = !v.less(version{0, 8, 0})
	switch s.cfg.index {
	case AutoIndex:
		s.index = IVFFlat
		if hasHNSW {
			s.index = HNSW
		}
	case HNSW:
		if !hasHNSW {
			return fmt.Errorf("%w: HNSW needs pgvector 0.5 or later, the server has %s", ErrInvalidConfig, s.version)
		}
		s.index = HNSW
	default:
		s.index = s.cfg.index
	}
	if s.cfg.textSearch != "" {
		var ok bool
		if err := c.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = $1)", s.cfg.textSearch).Scan(&ok); err != nil {
			return wrap("check text search configuration", err)
		}
		if !ok {
			return fmt.Errorf("%w: the server has no text search configuration %q", ErrInvalidConfig, s.cfg.textSearch)
		}
	}
	if s.cfg.schema != "" {
		var ok bool
		if err := c.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", s.cfg.schema).Scan(&ok); err != nil {
			return wrap("check schema", err)
		}
		if !ok {
			return fmt.Errorf("%w: schema %q does not exist", ErrInvalidConfig, s.cfg.schema)
		}
	}
	err = pgx.BeginFunc(ctx, c.Conn(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext($1))", "chorus.retrieval:"+s.table); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, s.createTableSQL()); err != nil {
			return err
		}
		if err := s.checkColumns(ctx, tx); err != nil {
			return err
		}
		if s.cfg.deferIndex {
			return nil
		}
		return s.createIndexes(ctx, tx)
	})
	if err != nil {
		if errors.Is(err, ErrSchema) {
			return err
		}
		return wrap("create table "+s.table, err)
	}
	return nil
}

// ensureExtension creates the vector extension if it is missing and
// returns its version.
func ensureExtension(ctx context.Context, conn *pgx.Conn) (string, error) {
	const q = "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
	var v string
	err := conn.QueryRow(ctx, q).Scan(&v)
	if err == nil {
		return v, nil
	}
	if !errNoRows(err) {
		return "", wrap("check vector extension", err)
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('chorus.retrieval:extension'))"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS vector")
		return err
	})
	if err != nil {
		return "", wrap("create extension vector (install pgvector, or have a superuser run CREATE EXTENSION vector)", err)
	}
	if err := conn.QueryRow(ctx, q).Scan(&v); err != nil {
		return "", wrap("check vector extension", err)
	}
	return v, nil
}

func (s *Store) createTableSQL() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (\n", s.table)
	fmt.Fprintf(&b, "  %s text PRIMARY KEY,\n", s.id)
	fmt.Fprintf(&b, "  %s text NOT NULL,\n", s.text)
	fmt.Fprintf(&b, "  %s jsonb NOT NULL DEFAULT '{}'::jsonb,\n", s.md)
	fmt.Fprintf(&b, "  %s vector(%d) NOT NULL", s.emb, s.dim)
	if s.cfg.textSearch != "" {
		// the configuration name matched identPattern: safe in quotes
		fmt.Fprintf(&b, ",\n  %s tsvector GENERATED ALWAYS AS (to_tsvector('%s'::regconfig, %s)) STORED", s.tsv, s.cfg.textSearch, s.text)
	}
	b.WriteString("\n)")
	return b.String()
}

// checkColumns compares the table's columns with the store's.
func (s *Store) checkColumns(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
		WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, s.table)
	if err != nil {
		return err
	}
	have := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return err
		}
		have[name] = typ
	}
	if err := rows.Err(); err != nil {
		return err
	}
	want := map[string]string{
		s.cfg.cols.ID:        "text",
		s.cfg.cols.Text:      "text",
		s.cfg.cols.Metadata:  "jsonb",
		s.cfg.cols.Embedding: fmt.Sprintf("vector(%d)", s.dim),
	}
	if s.cfg.textSearch != "" {
		want[s.cfg.cols.TSV] = "tsvector"
	}
	for col, typ := range want {
		got, ok := have[col]
		switch {
		case !ok:
			return fmt.Errorf("%w: table %s has no column %q (%s)", ErrSchema, s.table, col, typ)
		case got != typ:
			return fmt.Errorf("%w: column %q of %s is %s, want %s", ErrSchema, col, s.table, got, typ)
		}
	}
	return nil
}

// opClass returns the vector operator class of the store's metric.
func (s *Store) opClass() string {
	switch s.cfg.metric {
	case retrieval.L2:
		return "vector_l2_ops"
	case retrieval.InnerProduct:
		return "vector_ip_ops"
	}
	return "vector_cosine_ops"
}

// createIndexes creates the vector, metadata and text indexes that do not
// exist yet.
func (s *Store) createIndexes(ctx context.Context, tx pgx.Tx) error {
	var ddl []string
	switch s.index {
	case HNSW:
		ddl = append(ddl, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s USING hnsw (%s %s) WITH (m = %d, ef_construction = %d)",
			quote(s.IndexName()), s.table, s.emb, s.opClass(), s.cfg.hnswM, s.cfg.efConstruction))
	case IVFFlat:
		lists := s.cfg.lists
		if lists == 0 {
			var rows int64
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+s.table).Scan(&rows); err != nil {
				return err
			}
			lists = defaultLists(rows)
		}
		ddl = append(ddl, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s USING ivfflat (%s %s) WITH (lists = %d)",
			quote(s.IndexName()), s.table, s.emb, s.opClass(), lists))
	}
	ddl = append(ddl, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s USING gin (%s jsonb_path_ops)",
		quote(fitName(s.name+"_"+s.cfg.cols.Metadata+"_gin")), s.table, s.md))
	if s.cfg.textSearch != "" {
		ddl = append(ddl, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s USING gin (%s)",
			quote(fitName(s.name+"_"+s.cfg.cols.TSV+"_gin")), s.table, s.tsv))
	}
	for _, q := range ddl {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// defaultLists is pgvector's advice for IVFFlat: rows/1000 up to a million
// rows, sqrt(rows) above.
func defaultLists(rows int64) int {
	switch {
	case rows == 0:
		return 100
	case rows <= 1_000_000:
		return int(max(1, rows/1000))
	}
	return int(math.Sqrt(float64(rows)))
}

// CreateIndex builds the indexes that do not exist yet — the vector index,
// GIN on the metadata, GIN on the tsvector column — in one transaction
// with maintenance_work_mem raised (MaintenanceWorkMem) for it. Call it
// after a bulk load into a store made with DeferIndex; it does nothing
// when the indexes exist. The build takes a lock that blocks writes (not
// reads) until it is done.
func (s *Store) CreateIndex(ctx context.Context) error {
	c, err := s.acquire(ctx)
	if err != nil {
		return wrap("create index", err)
	}
	defer c.Release()
	err = pgx.BeginFunc(ctx, c.Conn(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('maintenance_work_mem', $1, true)", s.cfg.workMem); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext($1))", "chorus.retrieval:"+s.table); err != nil {
			return err
		}
		return s.createIndexes(ctx, tx)
	})
	return wrap("create index", err)
}

// version is a parsed extversion.
type version [3]int

func parseVersion(s string) version {
	var v version
	for i, part := range strings.SplitN(s, ".", 3) {
		digits := part
		if j := strings.IndexFunc(part, func(r rune) bool { return r < '0' || r > '9' }); j >= 0 {
			digits = part[:j]
		}
		v[i], _ = strconv.Atoi(digits)
	}
	return v
}

func (v version) less(w version) bool {
	for i := range v {
		if v[i] != w[i] {
			return v[i] < w[i]
		}
	}
	return false
}
