package pgvector

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/chorus-go/chorus/internal/pgcancel"
	"github.com/chorus-go/chorus/retrieval"
)

// HybridSearch returns up to k documents ranked by both their similarity
// to vector and the full-text match of their content with text (parsed by
// websearch_to_tsquery: plain words, "quoted phrases", OR, -excluded),
// fused by reciprocal rank fusion (see the package documentation). Score
// is the fused score. Filters apply to both sides; MinScore to the vector
// side. A text with no searchable words leaves only the vector ranking.
func (s *Store) HybridSearch(ctx context.Context, text string, vector []float32, k int, opts ...retrieval.SearchOption) ([]retrieval.Document, error) {
	if s.cfg.textSearch == "" {
		return nil, ErrNoTextSearch
	}
	if k < 1 {
		return nil, fmt.Errorf("%w (got %d)", retrieval.ErrInvalidK, k)
	}
	o := retrieval.NewSearchOptions(opts...)
	n := max(s.cfg.candidates(k), k)
	vq, err := s.vectorQuery(vector, n, o)
	if err != nil {
		return nil, err
	}
	tsql, targs, err := s.textQuery(text, n, o)
	if err != nil {
		return nil, err
	}
	c, err := s.acquire(ctx)
	if err != nil {
		return nil, wrap("hybrid search", err)
	}
	defer c.Release()
	defer pgcancel.OnDone(ctx, c)()
	var byVector, byText []retrieval.Document
	err = pgx.BeginTxFunc(ctx, c.Conn(), pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		vq.queue(b, vq.sql)
		b.Queue(tsql, targs...)
		return runBatch(ctx, tx, b, vq.skip(),
			func(rows pgx.Rows) error {
				var serr error
				byVector, serr = s.scanVector(rows, vq)
				return serr
			},
			func(rows pgx.Rows) error {
				var serr error
				byText, serr = s.scanText(rows, o.WithEmbeddings)
				return serr
			})
	})
	if err != nil {
		return nil, wrap("hybrid search", err)
	}
	return retrieval.FuseRRF(k, byVector, byText), nil
}

// textQuery builds the full-text side of a hybrid search.
func (s *Store) textQuery(text string, n int, o retrieval.SearchOptions) (string, []any, error) {
	if !validText(text) {
		return "", nil, fmt.Errorf("pgvector: hybrid search: %w", retrieval.ErrInvalidText)
	}
	filter, err := s.normalizedFilter(o)
	if err != nil {
		return "", nil, err
	}
	p := &params{}
	tsq := fmt.Sprintf("websearch_to_tsquery('%s'::regconfig, %s)", s.cfg.textSearch, p.add(text))
	cols := fmt.Sprintf("%s, %s, %s", s.id, s.text, s.md)
	if o.WithEmbeddings {
		cols += ", " + s.emb
	}
	where := fmt.Sprintf("%s @@ q", s.tsv)
	if filter != nil {
		cond, err := filterSQL(*filter, s.md, p, s.limits())
		if err != nil {
			return "", nil, err
		}
		where += " AND " + cond
	}
	sql := fmt.Sprintf("SELECT %s FROM %s, %s AS q WHERE %s ORDER BY ts_rank_cd(%s, q) DESC, %s LIMIT %s",
		cols, s.table, tsq, where, s.tsv, s.id, p.add(n))
	return sql, p.args, nil
}

// scanText reads the full-text side's rows, best first.
func (s *Store) scanText(rows pgx.Rows, withEmb bool) ([]retrieval.Document, error) {
	var docs []retrieval.Document
	for rows.Next() {
		var d retrieval.Document
		if err := scanDoc(rows, &d, withEmb); err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// validText reports whether PostgreSQL can hold s as text: valid UTF-8
// without NUL characters.
func validText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}
