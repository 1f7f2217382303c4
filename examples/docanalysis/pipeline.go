package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/internal/doctype"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/tesseract"
)

// samples are the bundled documents, compiled in so that the program runs
// from any directory.
//
//go:embed testdata/*.png
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
	// TrainDir holds the naive Bayes training texts, LABEL-name.txt
	// (default: the bundled ones, in examples/internal/doctype).
	TrainDir string
	// Concurrency is how many documents are analysed at once (default
	// GOMAXPROCS: OCR is the bottleneck).
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

// Input is one document to analyse: an image to read with OCR (PNG,
// JPEG, GIF, TIFF, BMP or WebP bytes; base64 in JSON), or text already
// read.
type Input struct {
	Name  string `json:"name" jsonschema:"description=The document's name (a file name)"`
	Image []byte `json:"image,omitempty" jsonschema:"description=The scanned page (base64 in JSON)"`
	Text  string `json:"text,omitempty" jsonschema:"description=The document's text when there is no image"`
}

// Analysis is what the pipeline found in one document.
type Analysis struct {
	Name string `json:"name"`
	// Source is "ocr" or "text": how the text was read.
	Source        string  `json:"source"`
	Text          string  `json:"text"`
	OCRConfidence float64 `json:"ocr_confidence,omitempty"`
	Type          DocType `json:"type"`
	Vote          Vote    `json:"vote"`
	Fields        Fields  `json:"fields"`
	// Extractor names the extractor whose fields these are; FellBack
	// holds the errors of those tried before it.
	Extractor string   `json:"extractor"`
	FellBack  []string `json:"fell_back,omitempty"`
	// Chunks is how many pieces were indexed for questions.
	Chunks int `json:"chunks"`
	// TimingsMS holds each stage's duration in milliseconds: read (ocr
	// or text), classify, extract and index.
	TimingsMS map[string]float64 `json:"timings_ms"`
	TotalMS   float64            `json:"total_ms"`
	Error     string             `json:"error,omitempty"`
}

// Vote is the document-type vote: the agreement (the winning type's share
// of the answering members' weight) and every member's ballot.
type Vote struct {
	Agreement float64  `json:"agreement"`
	Ballots   []Ballot `json:"ballots"`
}

// Ballot is one classifier's answer, or its error.
type Ballot struct {
	Member    string  `json:"member"`
	Answer    DocType `json:"answer,omitempty"`
	Error     string  `json:"error,omitempty"`
	Weight    float64 `json:"weight"`
	LatencyMS float64 `json:"latency_ms"`
}

// Batch is the state of one run: the documents and questions in, the
// analyses and answers out.
type Batch struct {
	Inputs    []Input
	Questions []string
	Documents []Analysis
	Answers   []AnswerReport
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

	closers []func()
}

// Close releases the database pool, if any.
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

	read, ocrName := readStage(cfg.OCR)

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

	p.Document = chain.Named("document", chain.Then4(
		start(read),
		step("classify", textOf, classify, setVote),
		step("extract", identity, extract, setFields),
		step("index", indexDocs, idx.ingest, setChunks),
	))
	p.Ask = askChain(idx, models)
	p.Run = chain.Named("docanalysis", chain.Then(
		step("documents", func(b Batch) []Input { return b.Inputs },
			chain.Named("documents", chain.Map(settle(p.Document), chain.Limit(cfg.Concurrency))),
			func(b *Batch, docs []Analysis, _ time.Duration) { b.Documents = docs }),
		step("questions", func(b Batch) []string { return b.Questions },
			chain.Named("questions", chain.Map(settleAnswer(p.Ask), chain.Limit(2))),
			func(b *Batch, answers []AnswerReport, _ time.Duration) { b.Answers = answers }),
	))

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

// Page is the text read from an input.
type Page struct {
	Text       string
	Source     string
	Confidence float64
}

// readStage routes an input to OCR when it holds an image, and takes its
// text as it is otherwise. Without an OCR engine (Tesseract missing),
// images fail with the error saying what to install.
func readStage(ocr llm.OCR) (chain.Chain[Input, Page], string) {
	name := ""
	var image chain.Chain[Input, Page]
	if ocr == nil {
		eng, err := tesseract.New()
		if err != nil {
			name = "unavailable: " + err.Error()
			image = chain.Named("ocr", chain.Fn(func(context.Context, Input) (Page, error) {
				return Page{}, fmt.Errorf("ocr: %w (on Debian or Ubuntu: apt-get install tesseract-ocr tesseract-ocr-eng)", err)
			}))
		} else {
			ocr = eng
		}
	}
	if ocr != nil {
		image = ocrStage{ocr}
		name = chain.Describe(ocr).Name
	}
	text := chain.Named("text", chain.Pure(func(in Input) Page { return Page{Text: in.Text, Source: "text"} }))
	routes := map[string]chain.Chain[Input, Page]{"image": image, "text": text}
	return chain.Named("read", chain.Route(chain.RouterFunc[Input, string](inputKind), routes)), name
}

// inputKind routes an input to OCR ("image") or takes its "text".
func inputKind(_ context.Context, in Input) (string, error) {
	switch {
	case len(in.Image) > 0:
		return "image", nil
	case strings.TrimSpace(in.Text) != "":
		return "text", nil
	}
	return "", fmt.Errorf("input %q has neither an image nor text", in.Name)
}

// ocrStage reads an input's image with an OCR engine.
type ocrStage struct{ ocr llm.OCR }

func (s ocrStage) Run(ctx context.Context, in Input) (Page, error) {
	mime := imageType(in.Image)
	if !strings.HasPrefix(mime, "image/") {
		return Page{}, fmt.Errorf("ocr: %s is not an image (%s)", in.Name, mime)
	}
	r, err := s.ocr.Recognize(ctx, llm.Image{MIMEType: mime, Data: in.Image})
	if err != nil {
		return Page{}, fmt.Errorf("ocr: %s: %w", in.Name, err)
	}
	return Page{Text: r.Text, Source: "ocr", Confidence: r.Confidence}, nil
}

// imageType names the type of an image from its first bytes: PNG, JPEG,
// GIF, WebP and BMP as net/http sniffs them, and TIFF, which it does not.
func imageType(b []byte) string {
	if bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*")) {
		return "image/tiff"
	}
	return http.DetectContentType(b)
}

func (s ocrStage) Describe() chain.Node { return chain.Describe(s.ocr) }

// start begins an analysis with the page read from the input.
func start(read chain.Chain[Input, Page]) chain.Chain[Input, Analysis] {
	return startStage{read}
}

type startStage struct{ read chain.Chain[Input, Page] }

func (s startStage) Run(ctx context.Context, in Input) (Analysis, error) {
	t := time.Now()
	p, err := s.read.Run(ctx, in)
	if err != nil {
		return Analysis{}, err
	}
	if strings.TrimSpace(p.Text) == "" {
		return Analysis{}, fmt.Errorf("read %s: %w", in.Name, errNoText)
	}
	a := Analysis{Name: in.Name, Source: p.Source, Text: p.Text, OCRConfidence: p.Confidence, TimingsMS: map[string]float64{}}
	a.TimingsMS[p.Source] = ms(time.Since(t))
	a.TotalMS = a.TimingsMS[p.Source]
	return a, nil
}

func (s startStage) Describe() chain.Node { return chain.Describe(s.read) }

// step is one stage over a state S: it runs c on the part of the state
// get picks and puts the result back with set. It is transparent in the
// graph: it draws as c.
type stepStage[S, A, B any] struct {
	name string
	get  func(S) A
	c    chain.Chain[A, B]
	set  func(*S, B, time.Duration)
}

func step[S, A, B any](name string, get func(S) A, c chain.Chain[A, B], set func(*S, B, time.Duration)) chain.Chain[S, S] {
	return stepStage[S, A, B]{name, get, c, set}
}

func (s stepStage[S, A, B]) Run(ctx context.Context, st S) (S, error) {
	t := time.Now()
	out, err := s.c.Run(ctx, s.get(st))
	if err != nil {
		return st, fmt.Errorf("%s: %w", s.name, err)
	}
	s.set(&st, out, time.Since(t))
	return st, nil
}

func (s stepStage[S, A, B]) Describe() chain.Node { return chain.Describe(s.c) }

func identity[T any](v T) T { return v }

func textOf(a Analysis) string { return a.Text }

// setVote records the verdict of the classifiers.
func setVote(a *Analysis, v chain.Verdict[DocType], d time.Duration) {
	a.Type = v.Answer
	a.Vote = Vote{Agreement: v.Agreement}
	for _, b := range v.Ballots {
		ballot := Ballot{Member: b.Name, Answer: b.Answer, Weight: b.Weight, LatencyMS: ms(b.Latency)}
		if b.Err != nil {
			ballot.Answer, ballot.Error = "", b.Err.Error()
		}
		a.Vote.Ballots = append(a.Vote.Ballots, ballot)
	}
	a.timing("classify", d)
}

// setFields records the extraction.
func setFields(a *Analysis, x Extraction, d time.Duration) {
	a.Fields, a.Extractor, a.FellBack = x.Fields, x.By, x.FellBack
	a.timing("extract", d)
}

// setChunks records the indexing.
func setChunks(a *Analysis, n int, d time.Duration) {
	a.Chunks = n
	a.timing("index", d)
}

func (a *Analysis) timing(stage string, d time.Duration) {
	if a.TimingsMS == nil {
		a.TimingsMS = map[string]float64{}
	}
	a.TimingsMS[stage] = ms(d)
	a.TotalMS += ms(d)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// settle turns a document's failure into an Analysis with Error set, so
// that one bad document does not stop a batch.
func settle(c chain.Chain[Input, Analysis]) chain.Chain[Input, Analysis] { return settled{c} }

type settled struct{ c chain.Chain[Input, Analysis] }

func (s settled) Run(ctx context.Context, in Input) (Analysis, error) {
	a, err := s.c.Run(ctx, in)
	if err != nil {
		if ctx.Err() != nil {
			return a, err
		}
		return Analysis{Name: in.Name, Error: err.Error()}, nil
	}
	return a, nil
}

func (s settled) Describe() chain.Node { return chain.Describe(s.c) }

// classifyStage is the vote on the document type: the keyword rules, the
// naive Bayes model and every configured language model.
func classifyStage(cfg Config, models []chatModel) (chain.Chain[string, chain.Verdict[DocType]], error) {
	var examples []doctype.Example
	var err error
	if cfg.TrainDir != "" {
		examples, err = doctype.LoadExamples(os.DirFS(cfg.TrainDir), ".")
	} else {
		examples, err = doctype.Training()
	}
	if err != nil {
		return nil, err
	}
	nb, err := doctype.TrainNaiveBayes(examples)
	if err != nil {
		return nil, err
	}
	voters := make([]doctype.Model, len(models))
	for i, m := range models {
		voters[i] = doctype.Model{Name: m.spec.String(), Chat: m.model}
	}
	return chain.Named("classify", doctype.Vote(doctype.Members(nb, voters...))), nil
}

// errNoText is the error of a document whose reading found no text.
var errNoText = errors.New("no text")
