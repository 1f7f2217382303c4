package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
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
	t.Setenv("OLLAMA_HOST", "127.0.0.1:"+strconv.Itoa(refusingPort(t)))
	t.Setenv("DATABASE_URL", "")
}

// refusingPort returns a TCP port that drops every connection at once, for
// as long as the test runs. Holding it (rather than closing a listener and
// hoping) keeps any other test server from being given the same port and
// answering in its place.
func refusingPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed by the cleanup
			}
			c.Close()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// runProgram runs the program and returns its exit status, stdout and
// stderr.
func runProgram(t *testing.T, args []string, ocr llm.OCR, client *http.Client) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, env{stdout: &stdout, stderr: &stderr, getenv: os.Getenv, httpClient: client, ocr: ocr, reliability: fastRetries,
		lookPath: exec.LookPath, installer: refuseInstall{t}})
	return code, stdout.String(), stderr.String()
}

// refuseInstall is the installer of tests: apt-get never runs in a
// test, and a test that would have it fails.
type refuseInstall struct{ t *testing.T }

func (r refuseInstall) Plan() (string, error) {
	return "", errors.New("tests install nothing")
}

func (r refuseInstall) Install(context.Context, []string) error {
	r.t.Error("a test tried to install packages")
	return errors.New("tests install nothing")
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
	var images []Analysis
	for _, d := range docs {
		if strings.HasSuffix(d.Name, ".pdf") {
			checkPDF(t, d)
		} else {
			images = append(images, d)
		}
	}
	docs = images
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
	has("report", r, "models", "documents", "answers", "elapsed_ms", "analysed", "failed", "documents_per_second")
	has("models", r["models"], "ocr", "classifiers", "extractors", "embedder", "store", "answers")
	docs, _ := r["documents"].([]any)
	if len(docs) == 0 {
		t.Fatal("no documents in the report")
	}
	has("document", docs[0], "name", "source", "text", "type", "vote", "fields", "extractor", "provenance", "chunks", "timings_ms", "total_ms")
	prov, _ := docs[0].(map[string]any)["provenance"].([]any)
	if len(prov) == 0 {
		t.Fatal("no provenance")
	}
	has("provenance", prov[0], "field", "value", "by", "page", "start", "end", "words")
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
	has("answer", answers[0], "question", "answer", "by", "citations", "unsupported")
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
