package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Input is one document to analyse: an image to read with OCR (PNG,
// JPEG, GIF, TIFF, BMP or WebP bytes; base64 in JSON), or text already
// read.
type Input struct {
	Name  string `json:"name" jsonschema:"description=The document's name (a file name)"`
	Image []byte `json:"image,omitempty" jsonschema:"description=The scanned page (base64 in JSON)"`
	Text  string `json:"text,omitempty" jsonschema:"description=The document's text when there is no image"`
	PDF   []byte `json:"pdf,omitempty" jsonschema:"description=A PDF file (base64 in JSON): text-layer pages are read as they are, scanned pages with OCR"`

	// hash is the SHA-256 of the file, recorded in the index so that a
	// run started again skips what is already there.
	hash string
}

// Page is the text read from an input, and for a scan the words with
// their boxes and confidences.
type Page struct {
	Text       string
	Source     string
	Confidence float64
	Words      []llm.Word
	// Pages says how each page of a PDF was read; PageStarts is where
	// each page with text starts in Text (none for an image or a text).
	Pages      []PageInfo
	PageStarts []pageStart
}

// Analysis is what the pipeline found in one document: the state the
// document's steps thread through, each filling its own fields.
type Analysis struct {
	Name string `json:"name"`
	// Source is "ocr", "text" or "pdf": how the text was read.
	Source string `json:"source"`
	// Pages says how each page of a PDF was read (none for an image or
	// a text, which are one page).
	Pages         []PageInfo `json:"pages,omitempty"`
	Text          string     `json:"text"`
	OCRConfidence float64    `json:"ocr_confidence,omitempty"`
	Type          DocType    `json:"type"`
	Vote          Vote       `json:"vote"`
	Fields        Fields     `json:"fields"`
	// Extractor names the extractor whose fields these are; FellBack
	// holds the errors of those tried before it.
	Extractor string   `json:"extractor"`
	FellBack  []string `json:"fell_back,omitempty"`
	// Provenance says where in the document each field's value was
	// found: page, words, boxes and OCR confidence for a scan,
	// character offsets for a text.
	Provenance []Provenance `json:"provenance"`
	// Rejected lists the model's values the document does not say,
	// replaced by the rules' values.
	Rejected []Rejection `json:"rejected,omitempty"`
	// Chunks is how many pieces were indexed for questions.
	Chunks int `json:"chunks"`
	// TimingsMS holds each stage's duration in milliseconds: read (ocr
	// or text), classify, extract and index.
	TimingsMS map[string]float64 `json:"timings_ms"`
	TotalMS   float64            `json:"total_ms"`
	Error     string             `json:"error,omitempty"`

	// words are the OCR engine's words, for grounding.
	words []llm.Word
	// pageStarts is where each page starts in Text, for provenance.
	pageStarts []pageStart
	// hash is the input's.
	hash string
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

// errNoText is the error of a document whose reading found no text.
var errNoText = errors.New("no text")

// begin starts the analysis of an input with the page read from it.
func begin(ctx context.Context, in Input, read chain.Chain[Input, Page]) (Analysis, error) {
	t := time.Now()
	p, err := read.Run(ctx, in)
	if err != nil {
		return Analysis{}, err
	}
	if strings.TrimSpace(p.Text) == "" {
		return Analysis{}, fmt.Errorf("read %s: %w", in.Name, errNoText)
	}
	a := Analysis{Name: in.Name, Source: p.Source, Text: p.Text, OCRConfidence: p.Confidence, Pages: p.Pages, words: p.Words, pageStarts: p.PageStarts, hash: in.hash}
	a.timing(p.Source, time.Since(t))
	return a, nil
}

// textOf is what the classifiers read.
func textOf(a Analysis) string { return a.Text }

// whole is the analysis itself, for a step that reads several fields.
func whole(a Analysis) Analysis { return a }

// setVote records the verdict of the classifiers.
func setVote(a Analysis, v chain.Verdict[DocType]) Analysis {
	a.Type = v.Answer
	a.Vote = Vote{Agreement: v.Agreement}
	for _, b := range v.Ballots {
		ballot := Ballot{Member: b.Name, Answer: b.Answer, Weight: b.Weight, LatencyMS: ms(b.Latency)}
		if b.Err != nil {
			ballot.Answer, ballot.Error = "", b.Err.Error()
		}
		a.Vote.Ballots = append(a.Vote.Ballots, ballot)
	}
	return a
}

// setFields records the extraction.
func setFields(a Analysis, x Extraction) Analysis {
	a.Fields, a.Extractor, a.FellBack = x.Fields, x.By, x.FellBack
	a.Provenance, a.Rejected = x.Provenance, x.Rejected
	if a.Provenance == nil {
		a.Provenance = []Provenance{}
	}
	return a
}

// setChunks records the indexing.
func setChunks(a Analysis, n int) Analysis {
	a.Chunks = n
	return a
}

// timed runs a step of the analysis and records how long it took under
// the stage's name. Like the step, it is transparent in the graph.
func timed(stage string, step chain.Chain[Analysis, Analysis]) chain.Chain[Analysis, Analysis] {
	return chain.Wrap(step, func(ctx context.Context, a Analysis, step chain.Chain[Analysis, Analysis]) (Analysis, error) {
		t := time.Now()
		a, err := step.Run(ctx, a)
		if err != nil {
			return a, err
		}
		a.timing(stage, time.Since(t))
		return a, nil
	})
}

// timing records a stage's duration and adds it to the total.
func (a *Analysis) timing(stage string, d time.Duration) {
	if a.TimingsMS == nil {
		a.TimingsMS = map[string]float64{}
	}
	a.TimingsMS[stage] = ms(d)
	a.TotalMS += ms(d)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// inputsOf are the documents of a batch.
func inputsOf(b Batch) []Input { return b.Inputs }

// setDocuments records the analyses of a batch's documents: a document
// that failed is an Analysis with Error set, so that one bad document
// does not stop the others.
func setDocuments(b Batch, docs []chain.Settled[Analysis]) Batch {
	b.Documents = make([]Analysis, len(docs))
	for i, d := range docs {
		if d.Err != nil {
			d.Value = Analysis{Name: b.Inputs[i].Name, Error: d.Err.Error()}
		}
		b.Documents[i] = d.Value
	}
	return b
}

// questionsOf are the questions of a batch.
func questionsOf(b Batch) []string { return b.Questions }

// setAnswers records the answers to a batch's questions: a question that
// failed is an AnswerReport with Error set, so that the others are still
// answered.
func setAnswers(b Batch, answers []chain.Settled[AnswerReport]) Batch {
	b.Answers = make([]AnswerReport, len(answers))
	for i, a := range answers {
		if a.Err != nil {
			a.Value = AnswerReport{Question: b.Questions[i], Error: a.Err.Error(), Citations: []Citation{}}
		}
		b.Answers[i] = a.Value
	}
	return b
}
