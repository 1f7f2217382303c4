package main

import (
	"context"
	"embed"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/llm"
)

// samples are the bundled documents, compiled in so that the program runs
// from any directory.
//
//go:embed testdata/*.png testdata/*.pdf
var samples embed.FS

// Config says which models and stores the pipeline uses. The zero value
// is the embedded default: local models, with language models and a
// database joining when the environment names them.
type Config struct {
	// Models lists the chat models ("openai:gpt-4o-mini,ollama:llama3.2";
	// "none" for local models only). Empty: OpenAI's gpt-4o-mini when
	// OPENAI_API_KEY or OPENAI_BASE_URL is set, Ollama's llama3.2 when
	// OLLAMA_HOST is set or the default host answers within OllamaProbe.
	Models string
	// Embed is the embedding model: "hash" (local), "openai[:model]" or
	// "ollama[:model]". Empty: the first chat model's provider's
	// embedder, or the local hashing embedder when there is no chat model
	// or the embedder does not answer.
	Embed string
	// DatabaseURL, when set (default: $DATABASE_URL), stores the index in
	// PostgreSQL with pgvector instead of in memory.
	DatabaseURL string
	// Table is the pgvector table (default docanalysis_<dimensions>).
	Table string
	// TrainDir holds the naive Bayes training texts, LABEL-name.txt
	// (default: the bundled ones, in examples/internal/doctype).
	TrainDir string
	// Concurrency is how many documents are analysed at once (default
	// GOMAXPROCS, the number of cores: OCR is the bottleneck). Tesseract
	// runs at most GOMAXPROCS pages at once whatever it is
	// (tesseract.WithMaxConcurrency's default), one thread each.
	Concurrency int
	// OllamaProbe bounds the ping of Ollama's default host when nothing
	// asks for Ollama (default 300ms).
	OllamaProbe time.Duration
	// OCR reads images (default: Tesseract, English).
	OCR llm.OCR
	// Getenv reads the environment (default os.Getenv).
	Getenv func(string) string
	// HTTPClient, if set, carries the model clients' requests.
	HTTPClient *http.Client
	// Reliability is the guard every language model and remote embedder
	// is wrapped in (the zero value: 4 attempts at a call that fails
	// retryably, a 2-minute timeout per attempt, a breaker).
	Reliability reliable.Settings
}

func (c Config) withDefaults() Config {
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	if c.Concurrency < 1 {
		c.Concurrency = runtime.GOMAXPROCS(0)
	}
	if c.OllamaProbe <= 0 {
		c.OllamaProbe = 300 * time.Millisecond
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = strings.TrimSpace(c.Getenv("DATABASE_URL"))
	}
	return c
}

// Pipeline is the document-analysis inference graph.
type Pipeline struct {
	// Document analyses one document: read (OCR) -> classify (a vote) ->
	// extract (routed by type) -> index.
	Document chain.Chain[Input, Analysis]
	// Ask answers one question from the indexed documents, with citations.
	Ask chain.Chain[string, AnswerReport]
	// Run analyses every document of a batch, then answers its questions.
	Run chain.Chain[Batch, Batch]
	// Models says which models take part.
	Models Models
	// Guarded names the models and embedders wrapped in the guard.
	Guarded []string

	closers []func()
	// indexed lists the documents already in a lasting store (nil: the
	// store is in memory).
	indexed func(context.Context) (map[string]string, error)
	forget  func(context.Context, string) error
}

// Close releases the database pool and the PDF engine, if any.
func (p *Pipeline) Close() {
	for _, c := range p.closers {
		c()
	}
	p.closers = nil
}

// Build makes the pipeline from cfg: it finds the models (pinging
// Ollama), trains the naive Bayes classifier and opens the vector store.
// Call Close when done.
func Build(ctx context.Context, cfg Config) (*Pipeline, error) {
	cfg = cfg.withDefaults()
	res := &resolver{cfg: cfg}
	models, err := res.chatModels(ctx)
	if err != nil {
		return nil, err
	}
	p := &Pipeline{}

	pdfs := &pdfReader{}
	p.closers = append(p.closers, pdfs.close)
	read, ocrName := readStage(cfg.OCR, pdfs)

	classify, err := classifyStage(cfg, models)
	if err != nil {
		return nil, err
	}
	extract := extractStage(models)

	emb, embName, err := res.embedder(ctx, models)
	if err != nil {
		return nil, err
	}
	idx, err := openIndex(ctx, cfg, emb)
	if err != nil {
		return nil, err
	}
	p.closers = append(p.closers, idx.close)
	p.indexed, p.forget = idx.indexed, idx.forget

	// One document: each step reads and fills its fields of the Analysis.
	p.Document = chain.Named("document", chain.Then4(
		chain.Wrap(read, begin),
		timed("classify", chain.Step(classify, textOf, setVote)),
		timed("extract", chain.Step(extract, whole, setFields)),
		timed("index", chain.Step(idx.ingest, indexDocs, setChunks)),
	))
	p.Ask = askChain(idx, models)
	// A batch: every document, then every question. Settle keeps a
	// failure as a value, so one bad document or question does not stop
	// the others.
	p.Run = chain.Named("docanalysis", chain.Then(
		chain.Step(chain.Named("documents", chain.Map(chain.Settle(p.Document), chain.Limit(cfg.Concurrency))), inputsOf, setDocuments),
		chain.Step(chain.Named("questions", chain.Map(chain.Settle(p.Ask), chain.Limit(2))), questionsOf, setAnswers),
	))

	for _, m := range models {
		p.Guarded = append(p.Guarded, m.spec.String())
	}
	if res.embedGuarded {
		p.Guarded = append(p.Guarded, embName)
	}
	p.Models = Models{
		OCR:      ocrName,
		Embedder: embName,
		Store:    idx.name,
		Skipped:  res.skipped,
	}
	p.Models.Classifiers = []string{"rules", "naive-bayes"}
	for _, m := range models {
		p.Models.Classifiers = append(p.Models.Classifiers, m.spec.String())
		p.Models.Extractors = append(p.Models.Extractors, m.spec.String())
	}
	p.Models.Extractors = append(p.Models.Extractors, "rules")
	if len(models) > 0 {
		p.Models.Answers = append(p.Models.Answers, "rag "+models[0].spec.String())
	}
	p.Models.Answers = append(p.Models.Answers, "extractive")
	return p, nil
}

// Analyse runs the pipeline on the inputs, then answers the questions.
func (p *Pipeline) Analyse(ctx context.Context, inputs []Input, questions []string) (Batch, error) {
	return p.Run.Run(ctx, Batch{Inputs: inputs, Questions: questions})
}
