// Command evaluate measures the document-type vote of examples/docanalysis
// on a labelled set: the keyword rules, the naive Bayes model and any
// configured language model, each beside their weighted ensemble, with
// accuracy, precision, recall and F1 and their 95% confidence intervals,
// and the confusion matrix (chain/eval's EvaluateVote). It then asks
// whether the ensemble beats its best member on the same documents
// (McNemar's exact test, eval.Compare), and draws two pictures:
// confusion.svg, the ensemble's confusion matrix as a heatmap, and
// roc.svg, naive Bayes's one-vs-rest ROC curve for one type.
//
//	go run ./examples/evaluate                       # the bundled set, local models
//	go run ./examples/evaluate -class receipt -out /tmp/plots
//	go run ./examples/evaluate -data mine.jsonl -json > report.json
//
// The bundled set, testdata/labelled.jsonl, holds 80 short documents, 16
// of each type, none of them a training text, some of them hard: letters
// about invoices, a donation receipt that reads like a letter, a form
// without the word "form". A -data file has the same shape: JSON Lines
// (or a JSON array) of {"input": text, "want": type}.
//
// Language models join the vote as in docanalysis when the environment
// names them: OPENAI_API_KEY or OPENAI_BASE_URL (OpenAI's gpt-4o-mini, or
// an OpenAI-compatible server) and OLLAMA_HOST (Ollama's llama3.2).
package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/chorus-go/chorus/chain/eval"
	"github.com/chorus-go/chorus/examples/internal/doctype"
)

// labelled is the bundled labelled set, compiled in so that the program
// runs from any directory.
//
//go:embed testdata/labelled.jsonl
var labelled []byte

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// env is what the program reads and writes besides its arguments, so
// that tests can give their own.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	httpClient     *http.Client
}

// output is what -json prints: the result and the pictures written.
type output struct {
	*Result
	Files []string `json:"files"`
}

func run(ctx context.Context, args []string, e env) int {
	fl := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	data := fl.String("data", "", `labelled set: JSON Lines of {"input": text, "want": type} (default: the bundled testdata/labelled.jsonl)`)
	out := fl.String("out", "evaluate-out", "folder for confusion.svg and roc.svg")
	asJSON := fl.Bool("json", false, "print the report, the comparison and the ROC curve as JSON instead of tables")
	class := fl.String("class", string(doctype.Invoice), "the type of the ROC curve, against all others")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(code int, err error) int {
		fmt.Fprintln(e.stderr, "evaluate:", err)
		return code
	}
	if fl.NArg() > 0 {
		return fail(2, fmt.Errorf("unexpected arguments %q (the set is -data)", fl.Args()))
	}
	if !slices.Contains(doctype.All(), doctype.Type(*class)) {
		return fail(2, fmt.Errorf("-class %q: want one of %v", *class, doctype.All()))
	}
	set, source, err := load(*data)
	if err != nil {
		return fail(2, err)
	}
	models, skipped := models(ctx, e.getenv, e.httpClient)
	names := []string{"rules", "naive-bayes"}
	for _, m := range models {
		names = append(names, m.Name)
	}
	fmt.Fprintf(e.stderr, "evaluate: %d documents from %s; vote of %s\n", len(set), source, strings.Join(names, ", "))
	for _, s := range skipped {
		fmt.Fprintln(e.stderr, "  not used:", s)
	}

	res, err := evaluate(ctx, set, doctype.Type(*class), models)
	if err != nil {
		return fail(1, err)
	}
	files, err := draw(res, *out)
	if err != nil {
		return fail(1, err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(output{res, files}); err != nil {
			return fail(1, err)
		}
		return 0
	}
	if err := res.Report.WriteText(e.stdout); err != nil {
		return fail(1, err)
	}
	fmt.Fprintf(e.stdout, "\nensemble against its best member, %s, on the same documents:\n", res.Best)
	if err := res.Comparison.WriteText(e.stdout); err != nil {
		return fail(1, err)
	}
	r := res.ROC
	fmt.Fprintf(e.stdout, "\nROC of %s for %s against the other types (%d against %d): AUC %s\n", r.Model, r.Class, r.Positives, r.Negatives, r.AUC)
	fmt.Fprintf(e.stdout, "wrote %s\n", strings.Join(files, ", "))
	return 0
}

// load reads the labelled set from path, or the bundled one, and checks
// that every wanted type is one the classifiers know.
func load(path string) ([]Example, string, error) {
	r, source := io.Reader(bytes.NewReader(labelled)), "the bundled set"
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		r, source = f, path
	}
	set, err := eval.ReadExamples[string, doctype.Type](r)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", source, err)
	}
	if len(set) == 0 {
		return nil, "", fmt.Errorf("%s: no examples", source)
	}
	for i, ex := range set {
		if !slices.Contains(doctype.All(), ex.Want) {
			return nil, "", fmt.Errorf("%s: example %d wants %q, not one of %v", source, i+1, ex.Want, doctype.All())
		}
	}
	return set, source, nil
}

// draw writes the pictures into dir and returns their paths.
func draw(res *Result, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	title := fmt.Sprintf("%s: confusion matrix (%d documents)", res.Report.Name, res.Report.Examples)
	pictures := []struct{ name, svg string }{
		{"confusion.svg", confusionSVG(title, res.Report.Classification.Confusion)},
		{"roc.svg", rocSVG(res.ROC)},
	}
	var files []string
	for _, p := range pictures {
		path := filepath.Join(dir, p.name)
		if err := os.WriteFile(path, []byte(p.svg), 0o644); err != nil {
			return nil, err
		}
		files = append(files, path)
	}
	return files, nil
}
