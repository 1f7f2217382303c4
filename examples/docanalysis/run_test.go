package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

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
		source := "ocr"
		if strings.HasSuffix(d.Name, ".pdf") {
			source = "pdf"
		}
		if d.Extractor != "rules" || len(d.Vote.Ballots) != 2 || d.Source != source || d.Chunks < 2 {
			t.Errorf("%s: extractor %q, %d ballots, source %q, %d chunks", d.Name, d.Extractor, len(d.Vote.Ballots), d.Source, d.Chunks)
		}
	}
	if len(r.Answers) != 2 {
		t.Fatalf("%d answers, want 2", len(r.Answers))
	}
	// Three bundled documents are invoices: the answer may come from any
	// of them, with its own total.
	switch a := r.Answers[0]; {
	case strings.Contains(a.Answer, "997.00"):
		checkAnswer(t, a, "997.00", "northwind.pdf", "extractive")
	case len(a.Citations) > 0 && a.Citations[0].Source == "fax.pdf":
		checkAnswer(t, a, "1,234.50", "fax.pdf", "extractive")
	default:
		checkAnswer(t, a, "1,234.50", "invoice.png", "extractive")
	}
	checkAnswer(t, r.Answers[1], "Northwind Supplies GmbH", "contract.png", "extractive")
	checkReportShape(t, raw)
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
			// The error names the stages that failed, once each.
			if !strings.HasPrefix(d.Error, "document: read: ") || !strings.Contains(d.Error, "neither an image, a PDF nor text") {
				t.Errorf("blank document: error %q", d.Error)
			}
			continue
		}
		if d.Source != "text" {
			t.Errorf("%s: source %q", d.Name, d.Source)
		}
		// Every step is timed, and the total is their sum.
		sum := 0.0
		for _, stage := range []string{"text", "classify", "extract", "index"} {
			ms, ok := d.TimingsMS[stage]
			if !ok || ms < 0 {
				t.Errorf("%s: timing of %s: %v, %v", d.Name, stage, ms, ok)
			}
			sum += ms
		}
		if len(d.TimingsMS) != 4 || math.Abs(d.TotalMS-sum) > 1e-6 {
			t.Errorf("%s: timings %v, total %v", d.Name, d.TimingsMS, d.TotalMS)
		}
		good = append(good, d)
	}
	checkDocuments(t, good)
	// The throughput counts the analysed documents only.
	if r.Analysed != 5 || r.Failed != 1 || (r.ElapsedMS > 0 && math.Abs(r.DocumentsPerSecond/(5/(r.ElapsedMS/1000))-1) > 0.01) {
		t.Errorf("analysed %d, failed %d, %v documents/s in %v ms", r.Analysed, r.Failed, r.DocumentsPerSecond, r.ElapsedMS)
	}
	if !strings.Contains(stderr, "models: ocr: tesseract") && !strings.Contains(stderr, "models: ocr: unavailable") {
		t.Errorf("stderr lacks the models:\n%s", stderr)
	}
	checkAnswer(t, r.Answers[0], "John Carter", "letter.txt", "extractive")
}

// -progress draws the bar (progressbar's) on stderr even when it is not
// a terminal, and never on stdout: the JSON report stays clean. Without
// -progress and a terminal, there is no bar.
func TestProgress(t *testing.T) {
	noModels(t)
	code, stdout, stderr := runProgram(t, []string{"-progress", "-json", writeTexts(t)}, nil, nil)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%q", code, stderr)
	}
	if !strings.Contains(stderr, "documents 100% |") || !strings.Contains(stderr, "(5/5,") || !strings.Contains(stderr, "\r") {
		t.Errorf("stderr lacks the finished bar:\n%q", stderr)
	}
	var r Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || strings.Contains(stdout, "documents 100%") {
		t.Errorf("stdout is not the bare JSON report (%v):\n%s", err, stdout)
	}
	_, _, stderr = runProgram(t, []string{"-json", writeTexts(t)}, nil, nil)
	if strings.Contains(stderr, "documents 100%") {
		t.Errorf("a bar without -progress on a buffer:\n%q", stderr)
	}
}

// The throughput line counts what was analysed, and what failed apart.
func TestThroughput(t *testing.T) {
	docs := []Analysis{{Name: "a"}, {Name: "b", Error: "x"}, {Name: "c"}, {Name: "d", Error: "y"}, {Name: "e"}}
	r := newReport(Models{}, Batch{Documents: docs}, 1200*time.Millisecond)
	if got, want := throughput(r), "5 documents: 3 analysed in 1.20 s (2.50/s), 2 failed"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	r = newReport(Models{}, Batch{Documents: docs[:1]}, 500*time.Millisecond)
	if got, want := throughput(r), "1 document: 1 analysed in 500 ms (2.00/s)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
