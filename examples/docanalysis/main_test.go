package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/testimages"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/tesseract"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ocrCache reads each bundled image with Tesseract once per test binary:
// several tests run the pipeline on the same images.
var ocrCache = struct {
	sync.Mutex
	results map[[32]byte]llm.OCRResult
}{results: map[[32]byte]llm.OCRResult{}}

// cachedOCR is Tesseract behind ocrCache.
type cachedOCR struct{ eng *tesseract.Engine }

func (c cachedOCR) Recognize(ctx context.Context, img llm.Image) (llm.OCRResult, error) {
	key := sha256.Sum256(img.Data)
	ocrCache.Lock()
	r, ok := ocrCache.results[key]
	ocrCache.Unlock()
	if ok {
		return r, nil
	}
	r, err := c.eng.Recognize(ctx, img)
	if err != nil {
		return r, err
	}
	ocrCache.Lock()
	ocrCache.results[key] = r
	ocrCache.Unlock()
	return r, nil
}

func (c cachedOCR) Describe() chain.Node { return c.eng.Describe() }

// needTesseract returns the OCR engine, or skips the test.
func needTesseract(t testing.TB) llm.OCR {
	t.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("tesseract is not on PATH: install tesseract-ocr and tesseract-ocr-eng (apt-get install tesseract-ocr tesseract-ocr-eng) to run this test")
	}
	eng, err := tesseract.New()
	if err != nil {
		t.Skipf("tesseract: %v", err)
	}
	return cachedOCR{eng}
}

// noModels clears the environment of models: no OpenAI, Ollama at a port
// nothing listens on (so its ping fails at once), no database.
func noModels(t *testing.T) {
	t.Helper()
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	t.Setenv("OLLAMA_HOST", "127.0.0.1:"+strconv.Itoa(unusedPort(t)))
	t.Setenv("DATABASE_URL", "")
}

// unusedPort returns a TCP port nothing listens on.
func unusedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// runProgram runs the program and returns its exit status, stdout and
// stderr.
func runProgram(t *testing.T, args []string, ocr llm.OCR, client *http.Client) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, env{stdout: &stdout, stderr: &stderr, getenv: os.Getenv, httpClient: client, ocr: ocr})
	return code, stdout.String(), stderr.String()
}

// expected are the document types and key fields of the bundled samples.
var expected = map[string]struct {
	typ    DocType
	fields map[string]string // Fields.Pairs label -> value
}{
	"invoice.png":  {Invoice, map[string]string{"number": "INV-2041", "date": "2026-03-14", "bill to": "Acme Widgets Ltd", "total": "1,234.50 EUR"}},
	"receipt.png":  {Receipt, map[string]string{"merchant": "CORNER SHOP", "date": "2026-03-14", "total": "22.66 EUR"}},
	"letter.png":   {Letter, map[string]string{"recipient": "Ms Smith", "sender": "John Carter", "organization": "Chorus Analytics Ltd", "date": "2026-03-14"}},
	"contract.png": {Contract, map[string]string{"parties": "Northwind Supplies GmbH; Acme Widgets Ltd", "effective": "2026-04-01", "term": "24 months", "governing law": "England and Wales"}},
	"form.png":     {Form, map[string]string{"title": "MEMBERSHIP APPLICATION FORM", "applicant": "Maria Garcia", "date": "2026-03-10"}},
}

// checkDocuments checks the types and key fields of the analysed samples
// (names compared by base name).
func checkDocuments(t *testing.T, docs []Analysis) {
	t.Helper()
	if len(docs) != len(expected) {
		t.Fatalf("%d documents analysed, want %d", len(docs), len(expected))
	}
	for _, d := range docs {
		name := filepath.Base(strings.TrimSuffix(d.Name, ".txt"))
		if !strings.HasSuffix(name, ".png") {
			name += ".png"
		}
		want, ok := expected[name]
		if !ok {
			t.Errorf("unexpected document %q", d.Name)
			continue
		}
		if d.Error != "" {
			t.Errorf("%s: %s", d.Name, d.Error)
			continue
		}
		if d.Type != want.typ {
			t.Errorf("%s: type %q, want %q (ballots %+v)", d.Name, d.Type, want.typ, d.Vote.Ballots)
		}
		got := map[string]string{}
		for _, p := range d.Fields.Pairs() {
			got[p[0]] = p[1]
		}
		for k, v := range want.fields {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q (by %s)", d.Name, k, got[k], v, d.Extractor)
			}
		}
	}
}

// The default path: no model configured, the bundled images through real
// Tesseract, local classifiers, rules, the hashing embedder, the memory
// store and the extractive answerer; the text report, -ask and the JSON
// report.
func TestRunLocal(t *testing.T) {
	ocr := needTesseract(t)
	noModels(t)
	report := filepath.Join(t.TempDir(), "report.json")
	start := time.Now()
	code, stdout, stderr := runProgram(t, []string{"-json=" + report, "-ask", "What is the total due on the invoice?", "-ask", "Who are the parties to the contract?"}, ocr, nil)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	t.Logf("local run in %v", time.Since(start))
	for _, want := range []string{
		"models: ocr: tesseract:eng",
		"classifier vote: rules, naive-bayes (local)\n",
		"extraction: rules (local)",
		"index: hash-256 (local) embeddings, memory store",
		"answers: extractive (local)",
		"not used: ollama:llama3.2",
		"== invoice.png ==",
		"type       invoice (agreement 100%, 2 of 2 ballots)",
		"ballots    rules: invoice · naive-bayes: invoice",
		"total: 1,234.50 EUR",
		"Q: What is the total due on the invoice?",
		"fell back: nothing",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}

	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	checkDocuments(t, r.Documents)
	for _, d := range r.Documents {
		if d.Extractor != "rules" || len(d.Vote.Ballots) != 2 || d.Source != "ocr" || d.Chunks < 2 {
			t.Errorf("%s: extractor %q, %d ballots, source %q, %d chunks", d.Name, d.Extractor, len(d.Vote.Ballots), d.Source, d.Chunks)
		}
	}
	if len(r.Answers) != 2 {
		t.Fatalf("%d answers, want 2", len(r.Answers))
	}
	checkAnswer(t, r.Answers[0], "1,234.50", "invoice.png", "extractive")
	checkAnswer(t, r.Answers[1], "Northwind Supplies GmbH", "contract.png", "extractive")
	checkReportShape(t, raw)
}

// checkAnswer checks that an answer says want and cites source.
func checkAnswer(t *testing.T, a AnswerReport, want, source, by string) {
	t.Helper()
	if a.Error != "" || !strings.Contains(a.Answer, want) || a.By != by {
		t.Errorf("%q: answer %q by %q (error %q), want %q by %q", a.Question, a.Answer, a.By, a.Error, want, by)
	}
	cited := false
	for _, c := range a.Citations {
		cited = cited || filepath.Base(c.Source) == source
		if !strings.Contains(a.Answer, "["+strconv.Itoa(c.N)+"]") {
			t.Errorf("%q: citation [%d] is not in the answer %q", a.Question, c.N, a.Answer)
		}
	}
	if !cited {
		t.Errorf("%q: %q does not cite %s: %+v", a.Question, a.Answer, source, a.Citations)
	}
}

// checkReportShape checks the JSON report's keys, which scripts read.
func checkReportShape(t *testing.T, raw []byte) {
	t.Helper()
	var r map[string]any
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	has := func(where string, m any, keys ...string) {
		obj, ok := m.(map[string]any)
		if !ok {
			t.Errorf("%s is %T, not an object", where, m)
			return
		}
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				t.Errorf("%s has no %q: %v", where, k, obj)
			}
		}
	}
	has("report", r, "models", "documents", "answers", "elapsed_ms", "documents_per_second")
	has("models", r["models"], "ocr", "classifiers", "extractors", "embedder", "store", "answers")
	docs, _ := r["documents"].([]any)
	if len(docs) == 0 {
		t.Fatal("no documents in the report")
	}
	has("document", docs[0], "name", "source", "text", "type", "vote", "fields", "extractor", "chunks", "timings_ms", "total_ms")
	doc := docs[0].(map[string]any)
	has("vote", doc["vote"], "agreement", "ballots")
	ballots, _ := doc["vote"].(map[string]any)["ballots"].([]any)
	if len(ballots) == 0 {
		t.Fatal("no ballots")
	}
	has("ballot", ballots[0], "member", "answer", "weight", "latency_ms")
	answers, _ := r["answers"].([]any)
	if len(answers) == 0 {
		t.Fatal("no answers in the report")
	}
	has("answer", answers[0], "question", "answer", "by", "citations")
	cites, _ := answers[0].(map[string]any)["citations"].([]any)
	if len(cites) == 0 {
		t.Fatal("no citations")
	}
	has("citation", cites[0], "n", "source", "type", "kind", "excerpt")
}

// writeTexts writes the samples' ground truth as .txt files and returns
// their folder: the pipeline's text route, with no OCR.
func writeTexts(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range sampleDocuments() {
		if err := os.WriteFile(filepath.Join(dir, d.Name+".txt"), []byte(d.Text()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// sampleDocuments are the bundled samples as gen.go makes them (the
// receipt under its sample name).
func sampleDocuments() []testimages.Document {
	r := testimages.NoisyReceipt()
	r.Name = "receipt"
	return []testimages.Document{testimages.Invoice(), r, testimages.Letter(), testimages.Contract(), testimages.Form()}
}

// The bundled images stay small (go generate remakes them with gen.go).
func TestSampleSizes(t *testing.T) {
	for _, d := range sampleDocuments() {
		b, err := samples.ReadFile("testdata/" + d.Name + ".png")
		if err != nil {
			t.Fatal(err)
		}
		if len(b) >= 150<<10 {
			t.Errorf("%s.png: %d bytes, want under 150 KB", d.Name, len(b))
		}
	}
}

// -graph prints the inference graph without analysing anything.
func TestGraph(t *testing.T) {
	noModels(t)
	code, stdout, stderr := runProgram(t, []string{"-graph"}, nil, nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"flowchart LR", "classify: vote (weighted, quorum 1)", "naive-bayes (model)", "extract: route", "rules:invoice", "ingest", "documents: map", "questions: map"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("graph lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = runProgram(t, []string{"-graph=dot"}, nil, nil)
	if code != 0 || !strings.HasPrefix(stdout, "digraph chain {") {
		t.Errorf("-graph=dot: exit %d:\n%s", code, stdout)
	}
	dot := filepath.Join(t.TempDir(), "g.dot")
	if code, _, stderr := runProgram(t, []string{"-dot", dot, "-graph"}, nil, nil); code != 0 {
		t.Fatalf("-dot: exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(dot); err != nil || !bytes.Contains(b, []byte("digraph")) {
		t.Errorf("-dot wrote %q, %v", b, err)
	}
}

func TestFlagErrors(t *testing.T) {
	noModels(t)
	for _, args := range [][]string{{"-no-such-flag"}, {"-models", "bard:x"}, {"-graph=svg"}} {
		if code, _, _ := runProgram(t, args, nil, nil); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, stderr := runProgram(t, []string{"-models", "none", filepath.Join(t.TempDir(), "missing.png")}, nil, nil); code != 1 || !strings.Contains(stderr, "missing.png") {
		t.Errorf("missing file: exit %d: %s", code, stderr)
	}
}

// Text inputs skip OCR; a folder is read whole; a document that fails
// does not stop the others.
func TestRunTextFolder(t *testing.T) {
	noModels(t)
	dir := writeTexts(t)
	if err := os.WriteFile(filepath.Join(dir, "blank.txt"), []byte(" \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runProgram(t, []string{"-json", "-ask", "Who is the sender of the letter?", dir}, nil, nil)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (a blank document)\n%s", code, stderr)
	}
	var r Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout)
	}
	var good []Analysis
	for _, d := range r.Documents {
		if strings.HasSuffix(d.Name, "blank.txt") {
			if !strings.Contains(d.Error, "neither an image nor text") {
				t.Errorf("blank document: error %q", d.Error)
			}
			continue
		}
		if d.Source != "text" {
			t.Errorf("%s: source %q", d.Name, d.Source)
		}
		good = append(good, d)
	}
	checkDocuments(t, good)
	if !strings.Contains(stderr, "models: ocr: tesseract") && !strings.Contains(stderr, "models: ocr: unavailable") {
		t.Errorf("stderr lacks the models:\n%s", stderr)
	}
	checkAnswer(t, r.Answers[0], "John Carter", "letter.txt", "extractive")
}

// -progress draws the bar even when stderr is not a terminal.
func TestProgress(t *testing.T) {
	noModels(t)
	code, _, stderr := runProgram(t, []string{"-progress", "-json", writeTexts(t)}, nil, nil)
	if code != 0 || !strings.Contains(stderr, "\r[##############################] 5/5 documents\n") {
		t.Errorf("exit %d, stderr:\n%q", code, stderr)
	}
}

func TestParseModels(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []ModelSpec
		err  bool
	}{
		{"openai:gpt-4o-mini,ollama:llama3.2", []ModelSpec{{"openai", "gpt-4o-mini"}, {"ollama", "llama3.2"}}, false},
		{"openai, ollama", []ModelSpec{{"openai", defaultOpenAIModel}, {"ollama", defaultOllamaModel}}, false},
		{"none", []ModelSpec{}, false},
		{"gemini:pro", nil, true},
	} {
		got, err := ParseModels(c.in)
		if (err != nil) != c.err || !slices.Equal(got, c.want) {
			t.Errorf("ParseModels(%q) = %v, %v; want %v (error %v)", c.in, got, err, c.want, c.err)
		}
	}
}
