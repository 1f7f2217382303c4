package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain/eval"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// local is an environment with no language model.
func local(string) string { return "" }

// runProgram runs the program and returns its exit status, stdout and
// stderr.
func runProgram(t *testing.T, args []string, getenv func(string) string, client *http.Client) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, env{stdout: &stdout, stderr: &stderr, getenv: getenv, httpClient: client})
	return code, stdout.String(), stderr.String()
}

// runJSON runs the program with -json and decodes what it prints.
func runJSON(t *testing.T, args []string, getenv func(string) string, client *http.Client) (output, string) {
	t.Helper()
	code, stdout, stderr := runProgram(t, append([]string{"-json"}, args...), getenv, client)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out output
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	return out, stderr
}

// The bundled set with the local models: the tables, the comparison and
// the pictures.
func TestRunLocal(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runProgram(t, []string{"-out", dir}, local, nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "80 documents from the bundled set; vote of rules, naive-bayes") {
		t.Errorf("stderr: %s", stderr)
	}
	for _, want := range []string{
		"ensemble: 80 examples", "accuracy", "F1 (macro)", "95% CI", "confusion (rows: want, columns: got)",
		"(vote)", "rules", "naive-bayes", "ensemble against its best member", "McNemar exact",
		"ROC of naive-bayes for invoice against the other types (16 against 64): AUC",
		filepath.Join(dir, "confusion.svg"), filepath.Join(dir, "roc.svg"),
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

// The JSON report: the ensemble and its members, every metric a share
// with its interval, naive Bayes telling invoices apart, and pictures
// that are well-formed SVG drawing what the report says.
func TestRunJSON(t *testing.T) {
	dir := t.TempDir()
	out, _ := runJSON(t, []string{"-out", dir}, local, nil)
	r := out.Report
	if r.Name != "ensemble" || r.Examples != 80 || r.Agreement == nil {
		t.Fatalf("report %s: %d examples, agreement %v", r.Name, r.Examples, r.Agreement)
	}
	if len(r.Members) != 2 || r.Members[0].Name != "rules" || r.Members[1].Name != "naive-bayes" {
		t.Fatalf("members %v", names(r.Members))
	}
	for _, rep := range append([]*eval.Report{r}, r.Members...) {
		checkShares(t, rep)
	}
	if out.Best != "rules" && out.Best != "naive-bayes" {
		t.Errorf("best member %q", out.Best)
	}
	c := out.Comparison
	if c.Champion.Name != out.Best || c.Challenger.Name != "ensemble" || c.Test.Pairs != 80 || c.Test.PValue < 0 || c.Test.PValue > 1 || c.Decision == "" {
		t.Errorf("comparison %s vs %s: %+v, %s", c.Champion.Name, c.Challenger.Name, c.Test, c.Decision)
	}

	roc := out.ROC
	if roc.Class != "invoice" || roc.Positives != 16 || roc.Negatives != 64 {
		t.Errorf("ROC of %s: %d against %d", roc.Class, roc.Positives, roc.Negatives)
	}
	if roc.AUC.Value <= 0.8 {
		t.Errorf("naive Bayes's AUC for invoice is %.3f, want > 0.8", roc.AUC.Value)
	}
	if math.Abs(roc.Area()-roc.AUC.Value) > 1e-9 {
		t.Errorf("the curve's area %.6f is not the AUC %.6f", roc.Area(), roc.AUC.Value)
	}

	wantFiles := []string{filepath.Join(dir, "confusion.svg"), filepath.Join(dir, "roc.svg")}
	if strings.Join(out.Files, " ") != strings.Join(wantFiles, " ") {
		t.Errorf("files %v, want %v", out.Files, wantFiles)
	}
	conf := r.Classification.Confusion
	heat := readSVG(t, wantFiles[0])
	if k := len(conf.Labels); heat.count("rect", "cell") != k*k {
		t.Errorf("confusion.svg: %d cells, want %d", heat.count("rect", "cell"), k*k)
	}
	for _, l := range conf.Labels {
		if !heat.hasText(l) {
			t.Errorf("confusion.svg has no label %q", l)
		}
	}
	if !heat.hasText("16") { // invoices all answered invoice
		t.Errorf("confusion.svg lacks the counts: %v", heat.texts)
	}
	plot := readSVG(t, wantFiles[1])
	if plot.count("polyline", "roc") != 1 || plot.count("line", "chance") != 1 {
		t.Errorf("roc.svg: %d curves, %d diagonals", plot.count("polyline", "roc"), plot.count("line", "chance"))
	}
	if n := len(strings.Fields(plot.attr("polyline", "roc", "points"))); n != len(roc.Points) {
		t.Errorf("roc.svg: the curve has %d points, the report %d", n, len(roc.Points))
	}
	if !plot.containsText(fmt.Sprintf("AUC %.3f", roc.AUC.Value)) {
		t.Errorf("roc.svg: the legend lacks the AUC %.3f: %v", roc.AUC.Value, plot.texts)
	}
}

func names(rs []*eval.Report) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

// checkShares checks that every classification metric of r and its
// interval lie within [0, 1].
func checkShares(t *testing.T, r *eval.Report) {
	t.Helper()
	c := r.Classification
	if c == nil {
		t.Fatalf("%s: no classification metrics", r.Name)
	}
	check := func(what string, e eval.Estimate) {
		if !(0 <= e.Lower && e.Lower <= e.Value && e.Value <= e.Upper && e.Upper <= 1) {
			t.Errorf("%s: %s = %s, outside [0, 1] or its interval", r.Name, what, e)
		}
	}
	check("accuracy", c.Accuracy)
	check("error rate", r.ErrorRate)
	for _, a := range []struct {
		name string
		avg  eval.Averages
	}{{"precision", c.Precision}, {"recall", c.Recall}, {"F1", c.F1}} {
		check(a.name+" (macro)", a.avg.Macro)
		check(a.name+" (micro)", a.avg.Micro)
	}
	if len(c.Classes) != 5 {
		t.Errorf("%s: %d classes", r.Name, len(c.Classes))
	}
	for _, m := range c.Classes {
		check(m.Label+" precision", m.Precision)
		check(m.Label+" recall", m.Recall)
		check(m.Label+" F1", m.F1)
	}
}

// A set of one's own, another class, and what is refused.
func TestRunOptions(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "set.json")
	set := `[{"input": "INVOICE 12\nAmount due 40.00 EUR", "want": "invoice"},
	{"input": "Dear Jo,\nSee you soon.\nBest wishes,\nAl", "want": "letter"},
	{"input": "CAFE\nLatte 3.10\nTotal 3.10\nCard", "want": "receipt"}]`
	if err := os.WriteFile(data, []byte(set), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr := runJSON(t, []string{"-data", data, "-class", "letter", "-out", filepath.Join(dir, "plots")}, local, nil)
	if out.Report.Examples != 3 || out.ROC.Class != "letter" || out.ROC.Positives != 1 || !strings.Contains(stderr, "3 documents from "+data) {
		t.Errorf("%d examples, ROC of %s with %d positives; stderr %s", out.Report.Examples, out.ROC.Class, out.ROC.Positives, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "plots", "roc.svg")); err != nil {
		t.Error(err)
	}

	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte(`{"input": "Memo: lunch at noon", "want": "memo"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-class", "memo"}, `-class "memo": want one of`},
		{[]string{"-data", bad}, `wants "memo", not one of`},
		{[]string{"-data", filepath.Join(dir, "missing.jsonl")}, "no such file"},
		{[]string{"extra"}, "unexpected arguments"},
	} {
		code, _, stderr := runProgram(t, append(c.args, "-out", dir), local, nil)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}
