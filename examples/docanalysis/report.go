package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Models says which models take part in the pipeline. Names with a
// provider ("openai:gpt-4o-mini") are language models; the others are
// local.
type Models struct {
	OCR         string    `json:"ocr"`
	Classifiers []string  `json:"classifiers"`
	Extractors  []string  `json:"extractors"`
	Embedder    string    `json:"embedder"`
	Store       string    `json:"store"`
	Answers     []string  `json:"answers"`
	Skipped     []Skipped `json:"skipped,omitempty"`
}

// Report is the JSON report of a run.
type Report struct {
	Models    Models         `json:"models"`
	Documents []Analysis     `json:"documents"`
	Answers   []AnswerReport `json:"answers"`
	ElapsedMS float64        `json:"elapsed_ms"`
	// Analysed and Failed count the documents that were analysed and
	// those that failed; DocumentsPerSecond counts only the analysed.
	Analysed           int     `json:"analysed"`
	Failed             int     `json:"failed"`
	DocumentsPerSecond float64 `json:"documents_per_second"`
	// Reliability is set when language models took part.
	Reliability *Reliability `json:"reliability,omitempty"`
}

// Reliability says how often the guarded models retried a call and how
// often a stage fell back to its next alternative (a local model).
type Reliability struct {
	Retries   int `json:"retries"`
	Fallbacks int `json:"fallbacks"`
	// Summary is the line the text report prints: "reliability: 12
	// retries (openai:gpt-4o-mini 9, ...), 1 fallback (to rules:letter 1)".
	Summary string `json:"summary"`
}

// newReport gathers a run's results.
func newReport(m Models, b Batch, elapsed time.Duration) Report {
	r := Report{Models: m, Documents: b.Documents, Answers: b.Answers, ElapsedMS: ms(elapsed)}
	if r.Documents == nil {
		r.Documents = []Analysis{}
	}
	if r.Answers == nil {
		r.Answers = []AnswerReport{}
	}
	for _, d := range r.Documents {
		if d.Error != "" {
			r.Failed++
		} else {
			r.Analysed++
		}
	}
	if s := elapsed.Seconds(); s > 0 {
		r.DocumentsPerSecond = math.Round(float64(r.Analysed)/s*100) / 100
	}
	return r
}

// writeJSON writes the report, indented.
func writeJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func isLocal(name string) bool { return !strings.Contains(name, ":") }

// joinGroups lists local names then model names: "rules, naive-bayes
// (local); openai:gpt-4o-mini".
func joinGroups(names []string) string {
	var local, remote []string
	for _, n := range names {
		if isLocal(n) {
			local = append(local, n)
		} else {
			remote = append(remote, n)
		}
	}
	var parts []string
	if len(local) > 0 {
		parts = append(parts, strings.Join(local, ", ")+" (local)")
	}
	if len(remote) > 0 {
		parts = append(parts, strings.Join(remote, ", "))
	}
	return strings.Join(parts, "; ")
}

// Lines says which models take part, one stage a line.
func (m Models) Lines() []string {
	extract := make([]string, len(m.Extractors))
	for i, e := range m.Extractors {
		extract[i] = e
		if isLocal(e) {
			extract[i] += " (local)"
		}
	}
	answers := make([]string, len(m.Answers))
	for i, a := range m.Answers {
		answers[i] = a
		if isLocal(strings.TrimPrefix(a, "rag ")) && !strings.HasPrefix(a, "rag ") {
			answers[i] += " (local)"
		}
	}
	lines := []string{
		"ocr: " + m.OCR,
		"classifier vote: " + joinGroups(m.Classifiers),
		"extraction: " + strings.Join(extract, " -> "),
		"index: " + m.Embedder + " embeddings, " + m.Store + " store",
		"answers: " + strings.Join(answers, " -> "),
	}
	for _, s := range m.Skipped {
		lines = append(lines, "not used: "+s.Model+": "+s.Reason)
	}
	return lines
}

// writeModels prints the models block.
func writeModels(w io.Writer, m Models) {
	for i, l := range m.Lines() {
		prefix := "        "
		if i == 0 {
			prefix = "models: "
		}
		fmt.Fprintln(w, prefix+l)
	}
}

// fellBack summarises what failed and what answered instead.
func fellBack(r Report) []string {
	var out []string
	type tally struct {
		failed, total int
		first         string
	}
	ballots := map[string]*tally{}
	var order []string
	extract := map[string]int{}
	var rejected []string
	docs := 0
	for _, d := range r.Documents {
		if d.Error != "" {
			out = append(out, fmt.Sprintf("%s failed: %s", d.Name, d.Error))
			continue
		}
		docs++
		for _, b := range d.Vote.Ballots {
			t := ballots[b.Member]
			if t == nil {
				t = &tally{}
				ballots[b.Member] = t
				order = append(order, b.Member)
			}
			t.total++
			if b.Error != "" {
				t.failed++
				if t.first == "" {
					t.first = b.Error
				}
			}
		}
		if len(d.FellBack) > 0 {
			extract[d.Extractor]++
		}
		for _, rej := range d.Rejected {
			rejected = append(rejected, d.Name+": "+rej.String())
		}
	}
	for _, m := range order {
		if t := ballots[m]; t.failed > 0 {
			verb := "failed"
			if isLocal(m) {
				verb = "abstained"
			}
			out = append(out, fmt.Sprintf("classifier %s %s on %d of %d documents (%s)", m, verb, t.failed, t.total, excerpt(t.first, 100)))
		}
	}
	var names []string
	for n := range extract {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, fmt.Sprintf("extraction fell back to %s for %d of %d documents", n, extract[n], docs))
	}
	out = append(out, rejected...)
	for _, a := range r.Answers {
		if len(a.FellBack) > 0 {
			out = append(out, fmt.Sprintf("answer to %q fell back to %s (%s)", a.Question, a.By, excerpt(a.FellBack[0], 100)))
		}
	}
	return out
}

// writeText prints the readable report: the models, a table per
// document, the answers and what fell back.
func writeText(w io.Writer, r Report) {
	writeModels(w, r.Models)
	for _, d := range r.Documents {
		fmt.Fprintf(w, "\n== %s ==\n", d.Name)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		if d.Error != "" {
			fmt.Fprintf(tw, "error\t%s\n", d.Error)
			tw.Flush()
			continue
		}
		agree, answered, failed := 0, 0, ""
		var ballots []string
		for _, b := range d.Vote.Ballots {
			if b.Error != "" {
				ballots = append(ballots, b.Member+": failed")
				continue
			}
			answered++
			if b.Answer == d.Type {
				agree++
			}
			s := fmt.Sprintf("%s: %s", b.Member, b.Answer)
			if !isLocal(b.Member) {
				s += fmt.Sprintf(" (%s)", duration(b.LatencyMS))
			}
			ballots = append(ballots, s)
		}
		failures := len(d.Vote.Ballots) - answered
		if failures > 0 {
			failed = fmt.Sprintf("; %d failed", failures)
		}
		fmt.Fprintf(tw, "type\t%s (agreement %.0f%%, %d of %d ballots%s)\n", d.Type, 100*d.Vote.Agreement, agree, answered, failed)
		fmt.Fprintf(tw, "ballots\t%s\n", strings.Join(ballots, " · "))
		pairs := d.Fields.Pairs()
		for i, p := range pairs {
			label := ""
			if i == 0 {
				label = "fields"
			}
			fmt.Fprintf(tw, "%s\t%s: %s\n", label, p[0], p[1])
		}
		by := d.Extractor
		if len(d.FellBack) > 0 {
			by += fmt.Sprintf(" (after %d failed: %s)", len(d.FellBack), excerpt(d.FellBack[len(d.FellBack)-1], 70))
		}
		fmt.Fprintf(tw, "extractor\t%s\n", by)
		for i, rej := range d.Rejected {
			label := ""
			if i == 0 {
				label = "rejected"
			}
			fmt.Fprintf(tw, "%s\t%s\n", label, rej)
		}
		read := d.Source
		if d.Source == "ocr" {
			read += fmt.Sprintf(", confidence %.0f%%", 100*d.OCRConfidence)
		}
		fmt.Fprintf(tw, "read\t%s, %d characters, %d chunks indexed\n", read, len([]rune(d.Text)), d.Chunks)
		for i, pg := range d.Pages {
			label := ""
			if i == 0 {
				label = "pages"
			}
			fmt.Fprintf(tw, "%s\t%s\n", label, pg)
		}
		var stages []string
		for _, s := range []string{"ocr", "pdf", "text", "classify", "extract", "index"} {
			if v, ok := d.TimingsMS[s]; ok {
				stages = append(stages, s+" "+duration(v))
			}
		}
		fmt.Fprintf(tw, "timing\t%s (total %s)\n", strings.Join(stages, ", "), duration(d.TotalMS))
		tw.Flush()
	}
	writeAnswers(w, r.Answers)
	fmt.Fprintln(w)
	if fb := fellBack(r); len(fb) > 0 {
		for i, l := range fb {
			prefix := "           "
			if i == 0 {
				prefix = "fell back: "
			}
			fmt.Fprintln(w, prefix+l)
		}
	} else {
		fmt.Fprintln(w, "fell back: nothing")
	}
	if r.Reliability != nil {
		fmt.Fprintln(w, r.Reliability.Summary)
	}
	fmt.Fprintln(w, throughput(r))
}

// writeAnswers writes the answers to the questions, with their citations.
func writeAnswers(w io.Writer, answers []AnswerReport) {
	if len(answers) > 0 {
		fmt.Fprintln(w, "\n== questions ==")
	}
	for _, a := range answers {
		fmt.Fprintf(w, "Q: %s\n", a.Question)
		if a.Error != "" {
			fmt.Fprintf(w, "   error: %s\n", a.Error)
			continue
		}
		fmt.Fprintf(w, "A: %s\n", a.Answer)
		for _, c := range a.Citations {
			fmt.Fprintf(w, "   [%d] %s (%s, %s): %s\n", c.N, c.Source, c.Type, c.Kind, c.Excerpt)
		}
		if a.Unsupported {
			fmt.Fprintln(w, "   unsupported: the answer cites no source")
		}
		fmt.Fprintf(w, "   answered by %s\n", a.By)
	}
}

// throughput says how many documents were analysed, how fast, and how
// many failed: "5 documents: 3 analysed in 1.20 s (2.50/s), 2 failed".
func throughput(r Report) string {
	noun := "documents"
	if len(r.Documents) == 1 {
		noun = "document"
	}
	s := fmt.Sprintf("%d %s: %d analysed in %s (%.2f/s)", len(r.Documents), noun, r.Analysed, duration(r.ElapsedMS), r.DocumentsPerSecond)
	if r.Failed > 0 {
		s += fmt.Sprintf(", %d failed", r.Failed)
	}
	return s
}

// duration prints milliseconds for people: 3 ms, 412 ms, 1.24 s.
func duration(ms float64) string {
	switch {
	case ms < 1:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%.2f s", ms/1000)
}
