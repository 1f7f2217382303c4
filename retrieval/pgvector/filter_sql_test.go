package pgvector

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/retrieval"
)

func TestFilterSQLBindsEverything(t *testing.T) {
	evil := `'); DROP TABLE docs; --`
	f, err := retrieval.And(
		retrieval.Eq(evil, evil),
		retrieval.In("k", evil, 1),
		retrieval.Gt(evil, 3),
		retrieval.Contains(map[string]any{evil: []any{evil}}),
		retrieval.Or(),
	).Normalize()
	if err != nil {
		t.Fatal(err)
	}
	p := &params{}
	sql, err := filterSQL(f, `"metadata"`, p, &filterLimits{maxIn: 10, maxBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	want := `("metadata" @> $1::jsonb AND ("metadata" -> $2::text) = ANY($3::jsonb[]) AND ` +
		`(CASE WHEN jsonb_typeof("metadata" -> $4::text) = 'number' THEN ("metadata" -> $4::text)::float8 > $5::float8 ELSE false END) AND ` +
		`"metadata" @> $6::jsonb AND false)`
	if diff := cmp.Diff(want, sql); diff != "" {
		t.Fatalf("SQL (-want +got):\n%s", diff)
	}
	if strings.Contains(sql, "DROP") {
		t.Fatal("a value reached the SQL text")
	}
	wantArgs := []any{
		`{"'); DROP TABLE docs; --":"'); DROP TABLE docs; --"}`,
		"k", []string{`"'); DROP TABLE docs; --"`, `1`},
		evil, 3.0,
		`{"'); DROP TABLE docs; --":["'); DROP TABLE docs; --"]}`,
	}
	if diff := cmp.Diff(wantArgs, p.args); diff != "" {
		t.Fatalf("args (-want +got):\n%s", diff)
	}
}

func TestSearchSettings(t *testing.T) {
	s := &Store{index: HNSW, iterative: true, cfg: defaultConfig()}
	to := [2]string{"statement_timeout", "30000"} // DefaultStatementTimeout
	cases := []struct {
		k        int
		filtered bool
		ef       int
		want     [][2]string
	}{
		{10, false, 0, [][2]string{to, {"hnsw.ef_search", "40"}}},
		{100, false, 0, [][2]string{to, {"hnsw.ef_search", "100"}}},
		{10, true, 0, [][2]string{to, {"hnsw.ef_search", "40"}, {"hnsw.iterative_scan", "relaxed_order"}}},
		{10, false, 200, [][2]string{to, {"hnsw.ef_search", "200"}}},
		{5000, false, 0, [][2]string{to, {"hnsw.ef_search", "1000"}, {"hnsw.iterative_scan", "relaxed_order"}}},
	}
	for _, tc := range cases {
		s.cfg.efSearch = tc.ef
		if diff := cmp.Diff(tc.want, s.searchSettings(tc.k, tc.filtered)); diff != "" {
			t.Errorf("k=%d filtered=%v ef=%d (-want +got):\n%s", tc.k, tc.filtered, tc.ef, diff)
		}
	}
	old := &Store{index: HNSW, iterative: false, cfg: defaultConfig()}
	if got := old.searchSettings(10, true); len(got) != 2 {
		t.Errorf("pgvector < 0.8 has no iterative scans: %v", got)
	}
	ivf := &Store{index: IVFFlat, iterative: true, cfg: defaultConfig()}
	ivf.cfg.probes = 10
	if diff := cmp.Diff([][2]string{to, {"ivfflat.probes", "10"}, {"ivfflat.iterative_scan", "relaxed_order"}}, ivf.searchSettings(10, true)); diff != "" {
		t.Errorf("ivfflat (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][2]string{to}, (&Store{index: NoIndex, cfg: defaultConfig()}).searchSettings(10, true)); diff != "" {
		t.Errorf("no index, only the timeout (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		d    time.Duration
		want [][2]string
	}{
		{0, nil},
		{1500 * time.Microsecond, [][2]string{{"statement_timeout", "2"}}},
		{time.Minute, [][2]string{{"statement_timeout", "60000"}}},
	} {
		st := &Store{index: NoIndex, cfg: defaultConfig()}
		st.cfg.timeout = tc.d
		if diff := cmp.Diff(tc.want, st.searchSettings(10, true)); diff != "" {
			t.Errorf("StatementTimeout(%v) (-want +got):\n%s", tc.d, diff)
		}
	}
}
