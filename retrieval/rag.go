package retrieval

import (
	"context"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Answer is what a RAG chain returns: the model's answer, the sources it
// was given (numbered from 1 in the prompt: Sources[0] is [1]) and the
// source numbers the answer cites, in order of first citation.
type Answer struct {
	Text      string
	Sources   []Document
	Citations []int
}

// Cited returns the sources the answer cites, in order of first citation.
func (a Answer) Cited() []Document {
	out := make([]Document, 0, len(a.Citations))
	for _, n := range a.Citations {
		if n >= 1 && n <= len(a.Sources) {
			out = append(out, a.Sources[n-1])
		}
	}
	return out
}

// DefaultRAGSystemPrompt is the system prompt of RAG chains.
const DefaultRAGSystemPrompt = "Answer the question using only the numbered sources given with it. " +
	"After each statement, cite the sources that support it by their numbers in square brackets, such as [1] or [2][3]. " +
	"If the sources do not contain the answer, say that you do not know."

// RAGOption configures a RAG chain.
type RAGOption func(*ragConfig)

type ragConfig struct {
	system  string
	prompt  func(question string, sources []Document) string
	options llm.Options
	err     error
}

// SystemPrompt replaces DefaultRAGSystemPrompt ("" sends no system message).
func SystemPrompt(s string) RAGOption { return func(c *ragConfig) { c.system = s } }

// UserPrompt replaces the user message built from the question and the
// sources (default: FormatSources followed by the question).
// A nil function makes RAG panic with an error matching chain.ErrConfig.
func UserPrompt(f func(question string, sources []Document) string) RAGOption {
	return func(c *ragConfig) {
		if f == nil {
			c.err = configError("RAG", "UserPrompt: nil function")
			return
		}
		c.prompt = f
	}
}

// WithOptions sets the generation options (temperature, maximum
// tokens...) of the requests to the model.
func WithOptions(o llm.Options) RAGOption { return func(c *ragConfig) { c.options = o } }

// FormatSources numbers sources for a prompt: "[1] text", one per
// paragraph, or "(no sources)".
func FormatSources(sources []Document) string {
	if len(sources) == 0 {
		return "(no sources)"
	}
	var b strings.Builder
	for i, d := range sources {
		if i > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "[%d] %s", i+1, strings.TrimSpace(d.Text))
	}
	return b.String()
}

func defaultUserPrompt(question string, sources []Document) string {
	return "Sources:\n\n" + FormatSources(sources) + "\n\nQuestion: " + question
}

// ragState is what a RAG chain threads through its steps: each step reads
// what the earlier ones filled in.
type ragState struct {
	question string
	sources  []Document
	reply    llm.Response
}

// RAG makes a chain that answers a question from retrieved sources: the
// retriever finds sources, they are numbered [1], [2]... in the prompt,
// the model answers citing them, and the citations are parsed from the
// answer (see ParseCitations). The chain, named "rag", has three steps:
//
//	retrieve (the retriever) → answer (the model) → cite
//
// To make the model call reliable without retrieving again when it fails,
// pass a model that retries it: model middleware, or a chain made a model
// again by llm.FromChain:
//
//	retrieval.RAG(retriever, llm.FromChain(chain.Retry(llm.ChatChain(model))))
//
// RAG panics with an error matching chain.ErrConfig on a nil retriever or
// model or an invalid option; NewRAG returns that error instead.
func RAG(retriever chain.Chain[string, []Document], model llm.ChatModel, opts ...RAGOption) chain.Chain[string, Answer] {
	c, err := NewRAG(retriever, model, opts...)
	if err != nil {
		panic(err)
	}
	return c
}

// NewRAG is RAG returning a configuration error (matching chain.ErrConfig)
// instead of panicking.
func NewRAG(retriever chain.Chain[string, []Document], model llm.ChatModel, opts ...RAGOption) (chain.Chain[string, Answer], error) {
	if retriever == nil {
		return nil, configError("RAG", "nil retriever")
	}
	if model == nil {
		return nil, configError("RAG", "nil model")
	}
	cfg := ragConfig{system: DefaultRAGSystemPrompt, prompt: defaultUserPrompt}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err == nil {
		if err := cfg.options.Validate(); err != nil {
			cfg.err = configError("RAG", "WithOptions: %v", err)
		}
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	retrieve := chain.Named("retrieve", chain.Wrap(retriever,
		func(ctx context.Context, question string, r chain.Chain[string, []Document]) (ragState, error) {
			sources, err := r.Run(ctx, question)
			return ragState{question: question, sources: sources}, err
		}))
	answer := chain.Named("answer", chain.Step(llm.ChatChain(model), cfg.request,
		func(s ragState, reply llm.Response) ragState { s.reply = reply; return s }))
	cite := chain.Named("cite", chain.Pure(func(s ragState) Answer {
		text := s.reply.Text()
		return Answer{Text: text, Sources: s.sources, Citations: ParseCitations(text, len(s.sources))}
	}))
	return chain.Named("rag", chain.Then3(retrieve, answer, cite)), nil
}

// request is the model request for a state: the system prompt, then the
// question with its numbered sources.
func (c *ragConfig) request(s ragState) llm.Request {
	req := llm.Request{Options: c.options}
	if c.system != "" {
		req.Messages = append(req.Messages, llm.System(c.system))
	}
	req.Messages = append(req.Messages, llm.User(c.prompt(s.question, s.sources)))
	return req
}
