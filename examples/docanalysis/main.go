// Command docanalysis analyses scanned documents with an inference graph
// of models: OCR (Tesseract) -> the document type by a vote of
// classifiers -> typed field extraction routed by type -> a vector index
// -> answers to questions, with citations.
//
//	go run ./examples/docanalysis                      # the bundled samples
//	go run ./examples/docanalysis -ask "What is the invoice total?" scans/
//	go run ./examples/docanalysis -json=report.json invoice.png letter.jpg notes.txt
//	go run ./examples/docanalysis -graph               # the inference graph, in Mermaid
//	go run ./examples/docanalysis -serve :8080         # POST /analyse, POST /ask
//	go run ./examples/docanalysis -generate-corpus /tmp/corpus -n 1000
//	go run ./examples/docanalysis -stats /tmp/corpus   # streamed: above 100 files, or -stream
//
// PDF files are read with retrieval/pdf (PDFium in WebAssembly, started
// on the first PDF): a page with a text layer as it is, a scanned page
// rendered and read by the same Tesseract; provenance gives the page.
// Markdown and HTML files are read with retrieval/loader. Above 100
// files (or with -stream) the documents go through a bounded pool of
// workers and are written one line each as they are done, not kept; with
// DATABASE_URL, a run started again skips the files already indexed with
// the same content (SHA-256).
//
// With no model configured it runs on what ships with the repository and
// Debian: Tesseract, a naive Bayes classifier trained on the bundled
// examples and a keyword classifier (the vote), regular-expression
// extractors, a hashing embedder, the in-memory vector store and an
// extractive answerer. Language models join when configured:
//
//	OPENAI_API_KEY=sk-...                  OpenAI's gpt-4o-mini
//	OPENAI_BASE_URL=http://host:8000/v1    an OpenAI-compatible server
//	OLLAMA_HOST=127.0.0.1:11434            Ollama's llama3.2 (also found when
//	                                       the default host answers a ping)
//	-models openai:gpt-4o-mini,ollama:llama3.2   exactly these models
//	DATABASE_URL=postgres://...            the index in PostgreSQL + pgvector
//
// A configured model votes on the type next to the local classifiers,
// extracts the fields (the rules take over when it fails), embeds the
// documents and answers the questions (retrieval-augmented generation).
// The "models" lines say which models took part, and "fell back" what
// failed and what answered instead.
//
// Every language model and remote embedder is wrapped in llm/guard
// (examples/internal/reliable): 4 attempts at a call that fails
// retryably (429 with Retry-After, 5xx, a dropped connection, a garbled
// body, a timeout), a 2-minute timeout per attempt and a circuit
// breaker; the adapters' own retries are off. A configured model is
// looked up once at start: one the server does not have is one "not
// used" line, and the local models carry on. The last line of the report
// says how many retries and fallbacks the run took.
//
// The sample images and PDFs under testdata are generated: go generate
// runs gen.go.
package main

//go:generate go run gen.go -out testdata

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/prom"
	"github.com/chorus-go/chorus/chain/serve"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/llm"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, lookPath: exec.LookPath, installer: newAptInstaller(os.Geteuid)})
	stop()
	os.Exit(code)
}

// env is what the program reads and writes besides its arguments, so
// that tests can give their own.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	httpClient     *http.Client
	// listening, if set, is told the address -serve listens on.
	listening func(net.Addr)
	// ocr, if set, replaces Tesseract.
	ocr llm.OCR
	// reliability sets the guard of the language models (tests shorten
	// its backoffs).
	reliability reliable.Settings
	// lookPath finds a program (exec.LookPath), and installer installs
	// the Debian packages of one that is missing; without them, nothing
	// is installed and a missing program is an error.
	lookPath  func(string) (string, error)
	installer installer
}

// sampleQuestions are asked of the bundled samples when -ask is not given.
var sampleQuestions = []string{
	"What is the total due on the invoice?",
	"Who are the parties to the contract?",
	"When does the service agreement take effect?",
}

func run(ctx context.Context, args []string, e env) int {
	fl := flag.NewFlagSet("docanalysis", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	var (
		models      = fl.String("models", "", "chat models, comma-separated: openai:gpt-4o-mini,ollama:llama3.2 (none: local only; default: from the environment)")
		embed       = fl.String("embed", "", "embedding model: hash, openai[:model] or ollama[:model] (default: the first chat model's provider, else hash)")
		jsonOut     = &optional{alone: "-"}
		graph       = &optional{alone: "mermaid"}
		dot         = fl.String("dot", "", "write the inference graph in Graphviz DOT to this file")
		addr        = fl.String("serve", "", "serve the pipeline over HTTP at this address (such as :8080)")
		concurrency = fl.Int("concurrency", runtime.GOMAXPROCS(0), "documents analysed at once (OCR runs at most one tesseract a core whatever this is)")
		bar         = fl.Bool("progress", false, "draw the progress bar on stderr even when it is not a terminal (never on stdout)")
		train       = fl.String("train", "", "folder of naive Bayes training texts, LABEL-name.txt (default: the bundled ones)")
		genCorpus   = fl.String("generate-corpus", "", "write a corpus of -n generated invoices (txt, md, html, PDF, scanned PDF, PNG) into this folder and exit")
		corpusN     = fl.Int("n", 1000, "documents -generate-corpus writes")
		stream      = fl.Bool("stream", false, fmt.Sprintf("analyse the documents streamed: read when a worker takes them, one line each as done, not kept (on by default above %d files)", streamThreshold))
		stats       = fl.Bool("stats", false, "print documents per second and the peak resident memory (VmHWM) at the end, on stderr")
		noInstall   = fl.Bool("no-install", false, "do not install a missing program (tesseract); also "+envNoInstall+"=1")
		asks        multi
	)
	fl.Var(jsonOut, "json", "write the JSON report: -json to stdout, -json=FILE to a file")
	fl.Var(graph, "graph", "print the inference graph and exit: -graph (Mermaid) or -graph=dot")
	fl.Var(&asks, "ask", "a question about the documents (repeatable)")
	fl.Usage = func() {
		fmt.Fprintf(fl.Output(), "usage: docanalysis [flags] [image, .txt, .md, .html or .pdf file, or folder ...]\n\nWith no file, the bundled samples are analysed.\n\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if g := graph.value; g != "" && g != "mermaid" && g != "dot" {
		fmt.Fprintf(e.stderr, "docanalysis: -graph=%s: want mermaid or dot\n", g)
		return 2
	}

	if *genCorpus != "" {
		return runGenerate(ctx, *genCorpus, *corpusN, e)
	}

	// What the run needs is checked, and installed when missing, before
	// any work: a missing program is said once, with its fix (status 2).
	var inputs []Input
	var files []string
	if graph.value == "" && fl.NArg() > 0 {
		var err error
		if files, err = listFiles(fl.Args()); err != nil {
			fmt.Fprintln(e.stderr, "docanalysis:", err)
			return 1
		}
		*stream = *stream || len(files) > streamThreshold
	} else {
		*stream = false // the bundled samples are a few
	}
	if graph.value == "" && *stream && *addr == "" {
		if e.ocr == nil && !e.checkOCR(ctx, !*noInstall, filesHave(files, imageExts...), filesHave(files, ".pdf")) {
			return 2
		}
	} else if graph.value == "" {
		var err error
		if inputs, err = loadInputs(fl.Args()); err != nil {
			fmt.Fprintln(e.stderr, "docanalysis:", err)
			return 1
		}
		if e.ocr == nil && !e.checkOCR(ctx, !*noInstall, needsOCR(inputs, *addr != ""), hasPDF(inputs)) {
			return 2
		}
	}

	cfg := Config{Models: *models, Embed: *embed, TrainDir: *train, Concurrency: *concurrency, Getenv: e.getenv, HTTPClient: e.httpClient, OCR: e.ocr, Reliability: e.reliability}
	if *models != "" {
		if _, err := ParseModels(*models); err != nil {
			fmt.Fprintln(e.stderr, "docanalysis: -models:", err)
			return 2
		}
	}
	// The counter sees every retry and fallback, from the models' checks
	// on; the report says how many there were.
	var count reliable.Counter
	ctx = chain.WithHooks(ctx, count.Hook())
	p, err := Build(ctx, cfg)
	if err != nil {
		fmt.Fprintln(e.stderr, "docanalysis:", err)
		return 1
	}
	defer p.Close()

	if *dot != "" {
		if err := os.WriteFile(*dot, []byte(chain.DOT(p.Run)), 0o644); err != nil {
			fmt.Fprintln(e.stderr, "docanalysis:", err)
			return 1
		}
	}
	switch graph.value {
	case "mermaid":
		fmt.Fprint(e.stdout, chain.Mermaid(p.Run))
		return 0
	case "dot":
		fmt.Fprint(e.stdout, chain.DOT(p.Run))
		return 0
	}

	questions := []string(asks)
	if len(asks) == 0 && fl.NArg() == 0 && *addr == "" {
		questions = sampleQuestions
	}

	toStdout := jsonOut.value == "-"
	if toStdout || *addr != "" {
		writeModels(e.stderr, p.Models)
	}

	start := time.Now()
	if *stream && *addr == "" && graph.value == "" {
		st, code := runStream(ctx, p, files, *concurrency, questions, jsonOut.value, e, newProgress(e.stderr, len(files), *bar))
		if *stats {
			writeStats(e.stderr, st.Analysed, st.Elapsed)
		}
		return code
	}
	runCtx := ctx
	prog := newProgress(e.stderr, len(inputs), *bar)
	if prog != nil {
		runCtx = chain.WithHooks(ctx, prog.hook())
	}
	batch, err := p.Analyse(runCtx, inputs, questions)
	if prog != nil {
		prog.finish()
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "docanalysis:", err)
		return 1
	}
	rep := newReport(p.Models, batch, time.Since(start))
	if len(p.Guarded) > 0 {
		rep.Reliability = &Reliability{Retries: count.Retries(), Fallbacks: count.Fallbacks(), Summary: count.String()}
	}

	if *addr != "" {
		return serveHTTP(ctx, p, *addr, e, len(rep.Documents))
	}
	if !toStdout {
		writeText(e.stdout, rep)
	}
	if *stats {
		writeStats(e.stderr, rep.Analysed, time.Since(start))
	}
	if toStdout && rep.Reliability != nil {
		fmt.Fprintln(e.stderr, rep.Reliability.Summary)
	}
	if jsonOut.value != "" {
		if err := saveJSON(jsonOut.value, e.stdout, rep); err != nil {
			fmt.Fprintln(e.stderr, "docanalysis:", err)
			return 1
		}
	}
	for _, d := range rep.Documents {
		if d.Error != "" {
			return 1
		}
	}
	return 0
}

// checkOCR makes sure tesseract is there for a run that reads images
// (else it says so once and returns false: exit 2 before any work) or
// PDFs (else it says so once and goes on: text-layer pages need no OCR,
// scanned pages are reported unread).
func (e env) checkOCR(ctx context.Context, allow, images, pdfs bool) bool {
	switch {
	case images:
		if err := e.ensureOCR(ctx, allow, "the images need OCR"); err != nil {
			fmt.Fprintln(e.stderr, "docanalysis:", err)
			return false
		}
	case pdfs:
		if err := e.ensureOCR(ctx, allow, "scanned PDF pages need OCR"); err != nil {
			fmt.Fprintln(e.stderr, "docanalysis:", err, "(scanned pages will be reported unread; text pages are read)")
		}
	}
	return true
}

// ensureOCR makes sure the tesseract program is there, installing it
// when it is missing and allowed (not -no-install, not
// CHORUS_NO_INSTALL=1).
func (e env) ensureOCR(ctx context.Context, allow bool, why string) error {
	switch strings.ToLower(strings.TrimSpace(e.getenv(envNoInstall))) {
	case "1", "true", "yes":
		allow = false
	}
	lookPath, inst := e.lookPath, e.installer
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	if inst == nil {
		inst = noInstall{"no installer"}
	}
	return ensureProgram(ctx, e.stderr, lookPath, inst, allow, ocrProgram, why, ocrPackages)
}

// saveJSON writes the report to stdout ("-") or to a file.
func saveJSON(dest string, stdout io.Writer, r Report) error {
	if dest == "-" {
		return writeJSON(stdout, r)
	}
	f, err := os.Create(dest)
	if err != nil {
		return err
	}
	if err := writeJSON(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// serveHTTP serves the pipeline until ctx ends: POST /analyse takes an
// Input ({"name", "image" in base64, or "text"}) and returns its
// Analysis; POST /ask takes {"value": "a question"} and answers it from
// every document analysed so far.
func serveHTTP(ctx context.Context, p *Pipeline, addr string, e env, indexed int) int {
	mux, err := newMux(p)
	if err != nil {
		fmt.Fprintln(e.stderr, "docanalysis:", err)
		return 1
	}
	err = serve.ListenAndServe(ctx, addr, mux, serve.WithOnListen(func(a net.Addr) {
		fmt.Fprintf(e.stderr, "%d documents indexed; serving on http://%s\n", indexed, a)
		fmt.Fprintln(e.stderr, `  POST /analyse  {"name": "scan.png", "image": "<base64>"}  or  {"name": "note.txt", "text": "..."}`)
		fmt.Fprintln(e.stderr, `  POST /ask      {"value": "What is the invoice total?"}`)
		fmt.Fprintln(e.stderr, "  GET  /analyse/graph, /analyse/schema, /healthz, /readyz, /metrics")
		if e.listening != nil {
			e.listening(a)
		}
	}))
	if err != nil {
		fmt.Fprintln(e.stderr, "docanalysis:", err)
		return 1
	}
	return 0
}

// newMux mounts the document pipeline at /analyse and the questions at
// /ask, with Prometheus metrics of every node (latency, errors, retries,
// breaker state, tokens, batch sizes) at /metrics.
func newMux(p *Pipeline) (*serve.Mux, error) {
	metrics, err := prom.NewHook()
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	if err := reg.Register(metrics); err != nil {
		return nil, err
	}
	doc, err := serve.NewEndpoint(p.Document, serve.WithMaxBodyBytes(20<<20), serve.WithTimeout(5*time.Minute), serve.WithCallHooks(metrics))
	if err != nil {
		return nil, err
	}
	ask, err := serve.NewEndpoint(p.Ask, serve.WithTimeout(2*time.Minute), serve.WithCallHooks(metrics))
	if err != nil {
		return nil, err
	}
	mux, err := serve.NewMux(serve.WithMetrics(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	if err != nil {
		return nil, err
	}
	mux.Mount("/analyse", doc)
	mux.Mount("/ask", ask)
	return mux, nil
}
