package pgvector

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/retrieval"
)

// offlinePool is a pool that never connects: New must refuse bad names and
// options before it talks to the server.
func offlinePool(t *testing.T) *pgxpool.Pool {
	pool, err := pgxpool.New(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func TestInvalidIdentifiers(t *testing.T) {
	pool := offlinePool(t)
	tables := []string{"", "Docs", "1docs", "docs-1", "docs.x", "doc s", `x"; DROP TABLE y; --`, "x'y", "ä", strings.Repeat("a", 64), "docs;", `docs"`}
	for _, table := range tables {
		if _, err := New(context.Background(), pool, table, 8); !errors.Is(err, ErrInvalidIdentifier) || !errors.Is(err, chain.ErrConfig) {
			t.Errorf("table %q: %v, want ErrInvalidIdentifier and chain.ErrConfig", table, err)
		}
	}
	opts := map[string]Option{
		"schema":      Schema("public; DROP SCHEMA x"),
		"id column":   ColumnNames(Columns{ID: "ID"}),
		"text column": ColumnNames(Columns{Text: `content"--`}),
		"metadata":    ColumnNames(Columns{Metadata: "meta data"}),
		"embedding":   ColumnNames(Columns{Embedding: "emb)"}),
		"tsv":         ColumnNames(Columns{TSV: "1tsv"}),
		"text search": TextSearch("english'); DROP TABLE x; --"),
	}
	for name, o := range opts {
		if _, err := New(context.Background(), pool, "docs", 8, o); !errors.Is(err, ErrInvalidIdentifier) {
			t.Errorf("%s: %v, want ErrInvalidIdentifier", name, err)
		}
	}
	if err := checkIdent("table", strings.Repeat("a", 63)); err != nil {
		t.Errorf("63 characters should do: %v", err)
	}
}

func TestInvalidConfig(t *testing.T) {
	pool := offlinePool(t)
	cases := map[string]struct {
		dim  int
		opts []Option
	}{
		"dimension 0":        {0, nil},
		"dimension too big":  {16001, []Option{Index(NoIndex)}},
		"index too wide":     {2001, nil},
		"metric":             {8, []Option{Metric(retrieval.Metric(7))}},
		"index kind":         {8, []Option{Index(IndexKind(9))}},
		"m":                  {8, []Option{HNSWBuild(1, 64)}},
		"ef_construction":    {8, []Option{HNSWBuild(16, 20)}},
		"ef_search":          {8, []Option{EFSearch(1001)}},
		"lists":              {8, []Option{IVFFlatLists(-1)}},
		"probes":             {8, []Option{Probes(-1)}},
		"batch size":         {8, []Option{BatchSize(0)}},
		"work mem":           {8, []Option{MaintenanceWorkMem("1GB; SELECT 1")}},
		"duplicate columns":  {8, []Option{ColumnNames(Columns{Text: "id"})}},
		"nil candidates":     {8, []Option{Candidates(nil)}},
		"nil pool (checked)": {8, nil},
	}
	for name, tc := range cases {
		p := pool
		if name == "nil pool (checked)" {
			p = nil
		}
		if _, err := New(context.Background(), p, "docs", tc.dim, tc.opts...); !errors.Is(err, ErrInvalidConfig) || !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: %v, want ErrInvalidConfig and chain.ErrConfig", name, err)
		}
	}
	// wide vectors are fine without an index
	if err := (func() error { c := defaultConfig(); c.index = NoIndex; return c.check("docs", 4000) })(); err != nil {
		t.Errorf("4000 dimensions without an index: %v", err)
	}
}

func TestUnreachableServer(t *testing.T) {
	pool := offlinePool(t)
	_, err := New(testCtx(t), pool, "docs", 8)
	if err == nil || !strings.Contains(err.Error(), "pgvector: connect") {
		t.Fatalf("New on an unreachable server: %v", err)
	}
}

func TestFitName(t *testing.T) {
	long := strings.Repeat("a", 60)
	a, b := fitName(long+"_embedding_hnsw_cos"), fitName(long+"_metadata_gin")
	if len(a) > 63 || len(b) > 63 || a == b {
		t.Fatalf("%q %q", a, b)
	}
	if fitName("short_name") != "short_name" {
		t.Fatal("short names stay")
	}
}

func TestParseVersion(t *testing.T) {
	cases := map[string]version{"0.8.0": {0, 8, 0}, "0.5.1": {0, 5, 1}, "0.4.4": {0, 4, 4}, "1.0": {1, 0, 0}, "0.7.0-beta": {0, 7, 0}, "": {}}
	for s, want := range cases {
		if got := parseVersion(s); got != want {
			t.Errorf("%q: %v", s, got)
		}
	}
	if !parseVersion("0.4.4").less(version{0, 5, 0}) || parseVersion("0.10.0").less(version{0, 8, 0}) {
		t.Fatal("version order")
	}
}
