package pgvector

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	pgv "github.com/pgvector/pgvector-go"

	"github.com/chorus-go/chorus/internal/pgcancel"
	"github.com/chorus-go/chorus/retrieval"
)

// defaultEFSearch is pgvector's default hnsw.ef_search.
const defaultEFSearch = 40

// maxEFSearch is pgvector's largest hnsw.ef_search.
const maxEFSearch = 1000

// batcher is a connection or a transaction: both send batches.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// query is a prepared vector search: its settings, SQL and parameters.
type query struct {
	settings [][2]string
	sql      string
	args     []any
	withEmb  bool
	minScore *float64
}

// vectorQuery builds the SQL of a vector search for the k nearest rows.
func (s *Store) vectorQuery(vec []float32, k int, o retrieval.SearchOptions) (*query, error) {
	if k < 1 {
		return nil, fmt.Errorf("%w (got %d)", retrieval.ErrInvalidK, k)
	}
	filter, err := s.normalizedFilter(o)
	if err != nil {
		return nil, err
	}
	if err := retrieval.CheckVector(vec, s.dim, s.cfg.metric); err != nil {
		return nil, err
	}
	q := &query{withEmb: o.WithEmbeddings}
	if o.HasMinScore {
		q.minScore = &o.MinScore
	}
	p := &params{}
	v := p.add(pgv.NewVector(vec))
	cols := fmt.Sprintf("%s, %s, %s, %s %s %s", s.id, s.text, s.md, s.emb, s.op, v)
	if o.WithEmbeddings {
		cols += ", " + s.emb
	}
	where := ""
	if filter != nil {
		cond, err := filterSQL(*filter, s.md, p, s.limits())
		if err != nil {
			return nil, err
		}
		where = " WHERE " + cond
	}
	q.sql = fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s %s %s LIMIT %s", cols, s.table, where, s.emb, s.op, v, p.add(k))
	q.args = p.args
	q.settings = s.searchSettings(k, filter != nil)
	return q, nil
}

// limits returns fresh filter limits of the store's configuration.
func (s *Store) limits() *filterLimits {
	return &filterLimits{maxIn: s.cfg.maxInValues, maxBytes: s.cfg.maxFilterBytes}
}

// timeoutMillis is the statement timeout in milliseconds, rounded up (0:
// none).
func (s *Store) timeoutMillis() int64 {
	return int64((s.cfg.timeout + time.Millisecond - 1) / time.Millisecond)
}

// searchSettings are the SET LOCALs a search of k rows needs.
func (s *Store) searchSettings(k int, filtered bool) [][2]string {
	var out [][2]string
	if ms := s.timeoutMillis(); ms > 0 {
		out = append(out, [2]string{"statement_timeout", strconv.FormatInt(ms, 10)})
	}
	iterate := s.iterative && (filtered || k > maxEFSearch)
	switch s.index {
	case HNSW:
		ef := s.cfg.efSearch
		if ef == 0 {
			ef = defaultEFSearch
		}
		ef = min(max(ef, k), maxEFSearch)
		out = append(out, [2]string{"hnsw.ef_search", strconv.Itoa(ef)})
		if iterate {
			out = append(out, [2]string{"hnsw.iterative_scan", "relaxed_order"})
		}
	case IVFFlat:
		if s.cfg.probes > 0 {
			out = append(out, [2]string{"ivfflat.probes", strconv.Itoa(s.cfg.probes)})
		}
		if iterate {
			out = append(out, [2]string{"ivfflat.iterative_scan", "relaxed_order"})
		}
	}
	return out
}

// skip is the number of results the settings give before the query's.
func (q *query) skip() int { return len(q.settings) + 1 }

// queue adds the settings and the statement (sql, with the query's
// arguments) to a batch.
func (q *query) queue(b *pgx.Batch, sql string) {
	q.queueSettings(b)
	b.Queue(sql, q.args...)
}

// queueSettings adds the settings, SET LOCAL through set_config(..., true)
// so that they end with the (implicit) transaction, after pgcancel's
// connection check: skip() results to skip.
func (q *query) queueSettings(b *pgx.Batch) {
	b.Queue(pgcancel.CheckSQL)
	for _, set := range q.settings {
		b.Queue("SELECT set_config($1, $2, true)", set[0], set[1])
	}
}

// Search returns up to k documents nearest to vector (see the package
// documentation).
func (s *Store) Search(ctx context.Context, vector []float32, k int, opts ...retrieval.SearchOption) ([]retrieval.Document, error) {
	q, err := s.vectorQuery(vector, k, retrieval.NewSearchOptions(opts...))
	if err != nil {
		return nil, err
	}
	c, err := s.acquire(ctx)
	if err != nil {
		return nil, wrap("search", err)
	}
	defer c.Release()
	defer pgcancel.OnDone(ctx, c)()
	b := &pgx.Batch{}
	q.queue(b, q.sql)
	var docs []retrieval.Document
	err = runBatch(ctx, c, b, q.skip(), func(rows pgx.Rows) error {
		var serr error
		docs, serr = s.scanVector(rows, q)
		return serr
	})
	if err != nil {
		return nil, wrap("search", err)
	}
	return docs, nil
}

// runBatch sends b, skips the results of the first n statements (the
// settings), and reads the rest with read, one call per statement.
func runBatch(ctx context.Context, c batcher, b *pgx.Batch, n int, read ...func(pgx.Rows) error) (err error) {
	res := c.SendBatch(ctx, b)
	defer func() {
		if cerr := res.Close(); err == nil {
			err = cerr
		}
	}()
	for range n {
		if _, err := res.Exec(); err != nil {
			return err
		}
	}
	for _, r := range read {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		err = r(rows)
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// scanVector reads a vector search's rows, sorts them by distance (relaxed
// iterative scans may return some out of order) and applies MinScore.
func (s *Store) scanVector(rows pgx.Rows, q *query) ([]retrieval.Document, error) {
	type hit struct {
		doc  retrieval.Document
		dist float64
	}
	var hits []hit
	for rows.Next() {
		var h hit
		if err := scanDoc(rows, &h.doc, q.withEmb, &h.dist); err != nil {
			return nil, err
		}
		h.doc.Score = s.cfg.metric.ScoreFromDistance(h.dist)
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(a.dist, b.dist); c != 0 {
			return c
		}
		return cmp.Compare(a.doc.ID, b.doc.ID)
	})
	docs := make([]retrieval.Document, 0, len(hits))
	for _, h := range hits {
		if q.minScore != nil && h.doc.Score < *q.minScore {
			continue
		}
		docs = append(docs, h.doc)
	}
	return docs, nil
}

// scanDoc scans a row of id, text and metadata, then the columns of extra,
// then, with withEmb, the embedding, into d.
func scanDoc(rows pgx.Rows, d *retrieval.Document, withEmb bool, extra ...any) error {
	var (
		md  map[string]any
		emb pgv.Vector
	)
	dst := append([]any{&d.ID, &d.Text, &md}, extra...)
	if withEmb {
		dst = append(dst, &emb)
	}
	if err := rows.Scan(dst...); err != nil {
		return err
	}
	if md == nil {
		md = map[string]any{}
	}
	d.Metadata = md
	if withEmb {
		d.Embedding = emb.Slice()
	}
	return nil
}

// Explain returns PostgreSQL's plan for Search with the same arguments,
// run with the same settings, so that a test or an operator can check that
// the vector index is used ("Index Scan using <IndexName()>").
func (s *Store) Explain(ctx context.Context, vector []float32, k int, opts ...retrieval.SearchOption) (string, error) {
	q, err := s.vectorQuery(vector, k, retrieval.NewSearchOptions(opts...))
	if err != nil {
		return "", err
	}
	c, err := s.acquire(ctx)
	if err != nil {
		return "", wrap("explain", err)
	}
	defer c.Release()
	defer pgcancel.OnDone(ctx, c)()
	b := &pgx.Batch{}
	q.queue(b, "EXPLAIN (COSTS OFF) "+q.sql)
	var lines []string
	err = runBatch(ctx, c, b, q.skip(), func(rows pgx.Rows) error {
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			lines = append(lines, line)
		}
		return nil
	})
	return strings.Join(lines, "\n"), wrap("explain", err)
}
