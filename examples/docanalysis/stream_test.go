package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// writeCorpus writes the text documents (.txt, .md, .html) among the
// first documents of a generated corpus until there are n, and returns
// the folder and their paths.
func writeCorpus(t *testing.T, n int) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for i := 0; len(files) < n; i++ {
		if k := corpusKinds[i%len(corpusKinds)]; k != "txt" && k != "md" && k != "html" {
			continue
		}
		name, data, err := corpusFile(i)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	return dir, files
}

// Streamed documents are analysed once each, every one reported, none
// kept; the fields differ from document to document.
func TestStreamMemory(t *testing.T) {
	noModels(t)
	_, files := writeCorpus(t, 24)
	ctx := context.Background()
	p, err := Build(ctx, Config{Models: "none", Embed: "hash", OCR: refusingOCR{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	numbers := map[string]bool{}
	st, err := p.Stream(ctx, files, 3, func(a Analysis) {
		if a.Error != "" || a.Fields.Invoice == nil {
			t.Errorf("%s: %s, fields %+v", a.Name, a.Error, a.Fields)
			return
		}
		numbers[a.Fields.Invoice.Number] = true
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Analysed != 24 || st.Failed != 0 || st.Skipped != 0 || st.Abandoned != 0 || len(numbers) != 24 {
		t.Errorf("stats %+v, %d distinct invoice numbers; want 24 analysed", st, len(numbers))
	}
}

// A run stopped after K documents and started again skips those
// indexed, analyses the others, and leaves every document indexed once.
func TestStreamResume(t *testing.T) {
	url := os.Getenv("CHORUS_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("CHORUS_TEST_DATABASE_URL is not set: cd /work/main && eval \"$(make -s services-up)\"")
	}
	noModels(t)
	const n, k = 20, 5
	_, files := writeCorpus(t, n)
	table := fmt.Sprintf("docanalysis_resume_%d", time.Now().UnixNano())
	ctx, cancelAll := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancelAll()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	defer pool.Exec(context.Background(), "DROP TABLE IF EXISTS "+pgx.Identifier{table}.Sanitize())

	cfg := Config{Models: "none", Embed: "hash", DatabaseURL: url, Table: table, OCR: refusingOCR{t}}
	stream := func(ctx context.Context, stopAfter int) StreamStats {
		t.Helper()
		p, err := Build(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		seen := 0
		st, err := p.Stream(ctx, files, 2, func(a Analysis) {
			if a.Error != "" {
				t.Errorf("%s: %s", a.Name, a.Error)
			}
			if seen++; seen == stopAfter {
				cancel() // as SIGINT does
			}
		})
		if stopAfter > 0 && !errors.Is(err, context.Canceled) || stopAfter == 0 && err != nil {
			t.Fatalf("stream: %v", err)
		}
		return st
	}

	// The first document is long: several chunks.
	long, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	long = append(long, strings.Repeat("Terms: payment within thirty days of the invoice date, by bank transfer.\n", 30)...)
	if err := os.WriteFile(files[0], long, 0o644); err != nil {
		t.Fatal(err)
	}

	first := stream(ctx, k)
	indexed, err := indexedSources(ctx, pool, table)
	if err != nil {
		t.Fatal(err)
	}
	if first.Analysed < k || first.Analysed >= n || len(indexed) < k || len(indexed) >= n {
		t.Fatalf("first run: %+v, %d indexed; want it stopped after %d of %d", first, len(indexed), k, n)
	}
	second := stream(ctx, 0)
	if second.Skipped != len(indexed) || second.Analysed != n-len(indexed) || second.Failed != 0 {
		t.Errorf("second run: %+v; want %d skipped, %d analysed", second, len(indexed), n-len(indexed))
	}
	if s := second.summary(); !strings.Contains(s, fmt.Sprintf("skipped %d already indexed", len(indexed))) {
		t.Errorf("summary %q", s)
	}

	// Every document is indexed once: one fields entry per source, with
	// the file's hash.
	rows, err := pool.Query(ctx, fmt.Sprintf("SELECT metadata->>'source', count(*) FROM %s WHERE metadata->>'kind' = 'fields' GROUP BY 1", pgx.Identifier{table}.Sanitize()))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for rows.Next() {
		var src string
		var c int
		if err := rows.Scan(&src, &c); err != nil {
			t.Fatal(err)
		}
		counts[src] = c
	}
	rows.Close()
	all, err := indexedSources(ctx, pool, table)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		in, err := readInput(f)
		if err != nil {
			t.Fatal(err)
		}
		if counts[f] != 1 || all[f] != in.hash {
			t.Errorf("%s: %d fields entries, hash %q; want 1 with %q", f, counts[f], all[f], in.hash)
		}
	}
	if len(counts) != n {
		t.Errorf("%d sources indexed, want %d", len(counts), n)
	}

	// A file changed since: analysed again, its old chunks gone (the
	// new text is short: without removal, the long text's later chunks
	// would stay).
	if err := os.WriteFile(files[0], []byte("Invoice number: INV-99999\nDate: 2026-01-02\nTotal due: 1.00 EUR\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := stream(ctx, 0)
	if third.Skipped != n-1 || third.Analysed != 1 {
		t.Errorf("third run: %+v; want %d skipped, 1 analysed", third, n-1)
	}
	var hashes int
	if err := pool.QueryRow(ctx, fmt.Sprintf("SELECT count(DISTINCT metadata->>'sha256') FROM %s WHERE metadata->>'source' = $1", pgx.Identifier{table}.Sanitize()), files[0]).Scan(&hashes); err != nil {
		t.Fatal(err)
	}
	if hashes != 1 {
		t.Errorf("%s: chunks of %d versions in the index, want 1", files[0], hashes)
	}
}

// -generate-corpus writes distinct documents of every kind; a run over
// them streams (-stream), one line each, with the summary and -stats.
func TestCLICorpus(t *testing.T) {
	ocr := needTesseract(t)
	noModels(t)
	dir := filepath.Join(t.TempDir(), "corpus")
	code, stdout, stderr := runProgram(t, []string{"-generate-corpus", dir, "-n", "12"}, nil, nil)
	if code != 0 || !strings.Contains(stdout, "wrote 12 documents") {
		t.Fatalf("generate: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = runProgram(t, []string{"-models", "none", "-stream", "-stats", dir}, ocr, nil)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"doc-00003.pdf: invoice, number INV-10003", "(pdf 1 page: text", "doc-00004.scan.pdf: invoice", "(pdf 1 page: ocr", "doc-00005.png: invoice", "12 documents: 12 analysed", "skipped 0 already indexed"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "documents/s, peak RSS ") {
		t.Errorf("stderr lacks the stats:\n%s", stderr)
	}
}
