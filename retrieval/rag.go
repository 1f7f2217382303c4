package retrieval

import (
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

// ragPrompt is the state between the prompt and the answer.
type ragPrompt struct {
	sources []Document
	req     llm.Request
}

// RAG makes a chain that answers a question from retrieved sources: the
// retriever finds sources, they are numbered [1], [2]... in the prompt,
// model answers citing them, and the citations are parsed from the answer
// (see ParseCitations). Built from the chain combinators, named "rag":
//
//	Then4(Join(identity, retriever), prompt, Join(ask model, identity), cite)
//
// It panics (with an error matching chain.ErrConfig) on a nil retriever or
// model.
func RAG(retriever chain.Chain[string, []Document], model llm.ChatModel, opts ...RAGOption) chain.Chain[string, Answer] {
	if retriever == nil {
		configPanic("RAG", "nil retriever")
	}
	if model == nil {
		configPanic("RAG", "nil model")
	}
	cfg := ragConfig{system: DefaultRAGSystemPrompt, prompt: defaultUserPrompt}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		panic(cfg.err)
	}
	prompt := chain.Named("prompt", chain.Pure(func(in chain.Pair[string, []Document]) ragPrompt {
		req := llm.Request{Options: cfg.options}
		if cfg.system != "" {
			req.Messages = append(req.Messages, llm.System(cfg.system))
		}
		req.Messages = append(req.Messages, llm.User(cfg.prompt(in.First, in.Second)))
		return ragPrompt{sources: in.Second, req: req}
	}))
	ask := chain.Then(chain.Named("request", chain.Pure(func(p ragPrompt) llm.Request { return p.req })), llm.ChatChain(model))
	cite := chain.Named("cite", chain.Pure(func(in chain.Pair[llm.Response, ragPrompt]) Answer {
		text := in.First.Text()
		return Answer{Text: text, Sources: in.Second.sources, Citations: ParseCitations(text, len(in.Second.sources))}
	}))
	return chain.Named("rag", chain.Then4(
		chain.Join(chain.Identity[string](), retriever),
		prompt,
		chain.Join(ask, chain.Identity[ragPrompt]()),
		cite,
	))
}
