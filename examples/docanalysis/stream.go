package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// streamThreshold is the number of files above which a run streams its
// documents (as -stream does) instead of keeping them for one report.
const streamThreshold = 100

// StreamStats counts what a streamed run did.
type StreamStats struct {
	Files    int `json:"files"`
	Analysed int `json:"analysed"`
	Failed   int `json:"failed"`
	// Skipped were already in the index with the same content.
	Skipped int `json:"skipped"`
	// Abandoned were in flight or waiting when the run was stopped.
	Abandoned int           `json:"abandoned"`
	Elapsed   time.Duration `json:"-"`
}

// listFiles lists the files to analyse: the files named, and the
// readable files of the folders named (not their subfolders), each
// folder's in name order.
func listFiles(args []string) ([]string, error) {
	var out []string
	for _, arg := range args {
		fi, err := os.Stat(arg)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, arg)
			continue
		}
		entries, err := os.ReadDir(arg) // sorted by name
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, ent := range entries {
			if !ent.IsDir() && readable(strings.ToLower(filepath.Ext(ent.Name()))) {
				out = append(out, filepath.Join(arg, ent.Name()))
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("%s: no images, .txt, .md, .html or .pdf files", arg)
		}
	}
	return out, nil
}

// filesHave reports whether one of files has one of the extensions
// (lower case).
func filesHave(files []string, exts ...string) bool {
	return slices.ContainsFunc(files, func(f string) bool {
		return slices.Contains(exts, strings.ToLower(filepath.Ext(f)))
	})
}

// Stream analyses files through a pool of workers, reading each file
// only when a worker takes it, and hands every analysis to emit (called
// from one goroutine at a time) without keeping it: memory is bounded by
// the workers, not by the number of files. With a lasting index
// (pgvector), a file already indexed with the same content (SHA-256) is
// skipped, and one indexed with other content is removed from the index
// before it is analysed again. When ctx ends, no new document starts; those in flight fail
// with ctx's error and are counted as abandoned, never half-indexed (a
// document's chunks go into the store in one transaction).
func (p *Pipeline) Stream(ctx context.Context, files []string, workers int, emit func(Analysis)) (StreamStats, error) {
	start := time.Now()
	st := StreamStats{Files: len(files)}
	done := map[string]string{}
	if p.indexed != nil {
		var err error
		if done, err = p.indexed(ctx); err != nil {
			return st, err
		}
	}
	workers = max(workers, 1)
	jobs := make(chan string)
	results := make(chan Analysis, workers)
	var skipped int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range jobs {
				in, err := readInput(name)
				if err != nil {
					results <- Analysis{Name: name, Error: err.Error()}
					continue
				}
				if h, ok := done[name]; ok && h == in.hash {
					mu.Lock()
					skipped++
					mu.Unlock()
					continue
				} else if ok && p.forget != nil {
					// Changed since it was indexed: its old chunks go first.
					if err := p.forget(ctx, name); err != nil {
						results <- Analysis{Name: name, Error: err.Error()}
						continue
					}
				}
				a, err := p.Document.Run(ctx, in)
				if err != nil {
					a = Analysis{Name: name, Error: err.Error(), hash: in.hash}
					if ctx.Err() != nil {
						a.Error = "abandoned: " + ctx.Err().Error()
					}
				}
				results <- a
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range files {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	for a := range results {
		switch {
		case strings.HasPrefix(a.Error, "abandoned: "):
			continue // counted below
		case a.Error != "":
			st.Failed++
		default:
			st.Analysed++
		}
		emit(a)
	}
	st.Skipped = skipped
	st.Abandoned = st.Files - st.Analysed - st.Failed - st.Skipped
	st.Elapsed = time.Since(start)
	return st, ctx.Err()
}

// streamLine is the text report's line for one document: "doc-00001.md:
// invoice, number INV-10001, total 107.33 EUR (text, 12 ms)".
func streamLine(a Analysis) string {
	if a.Error != "" {
		return fmt.Sprintf("%s: error: %s", a.Name, excerpt(a.Error, 200))
	}
	parts := []string{string(a.Type)}
	for _, p := range a.Fields.Pairs() {
		parts = append(parts, p[0]+" "+p[1])
	}
	read := a.Source
	if len(a.Pages) > 0 {
		methods := make([]string, len(a.Pages))
		for i, pg := range a.Pages {
			methods[i] = pg.Method
		}
		noun := "pages"
		if len(a.Pages) == 1 {
			noun = "page"
		}
		read += fmt.Sprintf(" %d %s: %s", len(a.Pages), noun, strings.Join(methods, ", "))
	}
	return fmt.Sprintf("%s: %s (%s, %s)", a.Name, strings.Join(parts, ", "), read, duration(a.TotalMS))
}

// summary is the last line of a streamed run: "1000 documents: 990
// analysed in 5m2s (3.28/s), 2 failed, skipped 8 already indexed".
func (s StreamStats) summary() string {
	rate := 0.0
	if sec := s.Elapsed.Seconds(); sec > 0 {
		rate = float64(s.Analysed) / sec
	}
	out := fmt.Sprintf("%d documents: %d analysed in %s (%.2f/s)", s.Files, s.Analysed, duration(ms(s.Elapsed)), rate)
	if s.Failed > 0 {
		out += fmt.Sprintf(", %d failed", s.Failed)
	}
	out += fmt.Sprintf(", skipped %d already indexed", s.Skipped)
	if s.Abandoned > 0 {
		out += fmt.Sprintf(", stopped: %d not analysed", s.Abandoned)
	}
	return out
}

// runStream analyses files streamed: one line per document on stdout as
// it is done, one JSON object per line in jsonFile if set (JSON Lines),
// then the answers to the questions and the summary.
func runStream(ctx context.Context, p *Pipeline, files []string, workers int, questions []string, jsonFile string, e env, prog *progress) (StreamStats, int) {
	var enc *json.Encoder
	var jf *os.File
	if jsonFile != "" && jsonFile != "-" {
		f, err := os.Create(jsonFile)
		if err != nil {
			fmt.Fprintln(e.stderr, "docanalysis:", err)
			return StreamStats{}, 1
		}
		jf, enc = f, json.NewEncoder(f)
	} else if jsonFile == "-" {
		enc = json.NewEncoder(e.stdout)
	}
	runCtx := ctx
	if prog != nil {
		runCtx = chain.WithHooks(ctx, prog.hook())
	}
	var werr error
	st, err := p.Stream(runCtx, files, workers, func(a Analysis) {
		if enc != nil {
			if err := enc.Encode(a); err != nil && werr == nil {
				werr = err
			}
		}
		if jsonFile != "-" {
			fmt.Fprintln(e.stdout, streamLine(a))
		}
	})
	if prog != nil {
		prog.finish()
	}
	if jf != nil {
		if cerr := jf.Close(); werr == nil {
			werr = cerr
		}
	}
	code := 0
	if werr != nil {
		fmt.Fprintln(e.stderr, "docanalysis:", werr)
		code = 1
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(e.stderr, "docanalysis:", err)
		return st, 1
	}
	out := e.stdout
	if jsonFile == "-" {
		out = e.stderr
	}
	if err == nil && len(questions) > 0 {
		answers := make([]AnswerReport, len(questions))
		for i, q := range questions {
			a, err := p.Ask.Run(ctx, q)
			if err != nil {
				a = AnswerReport{Question: q, Error: err.Error()}
			}
			answers[i] = a
		}
		writeAnswers(out, answers)
	}
	fmt.Fprintln(out, st.summary())
	if st.Failed > 0 || err != nil {
		code = 1
	}
	return st, code
}
