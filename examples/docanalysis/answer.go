package main

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/retrieval"
)

// sourcesPerQuestion is how many chunks a question is answered from.
const sourcesPerQuestion = 4

// AnswerReport is the answer to a question about the documents, with the
// sources it cites.
type AnswerReport struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
	// By names who answered: "rag <model>" or "extractive" (local).
	By        string     `json:"by"`
	FellBack  []string   `json:"fell_back,omitempty"`
	Citations []Citation `json:"citations"`
	// Unsupported flags an answer that cites no source: nothing shows
	// that the documents say it.
	Unsupported bool   `json:"unsupported"`
	Error       string `json:"error,omitempty"`
}

// noAnswer is the extractive answer when no sentence matches: it claims
// nothing, so it needs no source.
const noAnswer = "The documents do not seem to say."

// Citation is a source an answer cites: its number in the answer ([1]),
// the document and the part of it.
type Citation struct {
	N       int    `json:"n"`
	Source  string `json:"source"`
	Type    string `json:"type"`
	Kind    string `json:"kind"`
	Excerpt string `json:"excerpt"`
}

// askChain answers questions from the index: retrieval-augmented
// generation with the first chat model, falling back to the local
// extractive answer (the best-matching sentences of the retrieved
// chunks, cited), which is all there is without a model. The answer is
// reported with who answered and the sources cited.
func askChain(idx *index, models []chatModel) chain.Chain[string, AnswerReport] {
	retriever := retrieval.Retriever(idx.embedder, idx.store, sourcesPerQuestion)
	extractive := chain.Named("extractive", chain.Then(
		chain.Wrap(retriever, withQuestion),
		chain.Named("best sentences", chain.Pure(extractAnswer)),
	))
	answer := chain.Wrap(extractive, answered[string, retrieval.Answer])
	names := []string{"extractive"} // by the index of the alternative that answered
	if len(models) > 0 {
		answer = chain.FallbackTrace(retrieval.RAG(retriever, models[0].model), extractive)
		names = []string{"rag " + models[0].spec.String(), "extractive"}
	}
	return chain.Named("ask", chain.Wrap(answer, func(ctx context.Context, q string, answer chain.Chain[string, chain.Answered[retrieval.Answer]]) (AnswerReport, error) {
		a, err := answer.Run(ctx, q)
		if err != nil {
			return AnswerReport{}, err
		}
		return report(q, a, names), nil
	}))
}

// withQuestion retrieves the sources of a question and keeps the
// question with them.
func withQuestion(ctx context.Context, q string, retrieve chain.Chain[string, []retrieval.Document]) (chain.Pair[string, []retrieval.Document], error) {
	docs, err := retrieve.Run(ctx, q)
	return chain.Pair[string, []retrieval.Document]{First: q, Second: docs}, err
}

// report turns an answer into an AnswerReport.
func report(question string, a chain.Answered[retrieval.Answer], names []string) AnswerReport {
	r := AnswerReport{Question: question, Answer: strings.TrimSpace(a.Value.Text), By: names[a.Index], Citations: []Citation{}}
	for _, err := range a.Errors {
		r.FellBack = append(r.FellBack, err.Error())
	}
	for _, n := range a.Value.Citations {
		if n < 1 || n > len(a.Value.Sources) {
			continue
		}
		d := a.Value.Sources[n-1]
		str := func(k string) string { s, _ := d.Metadata[k].(string); return s }
		r.Citations = append(r.Citations, Citation{N: n, Source: str(metaSource), Type: str(metaType), Kind: str(metaKind), Excerpt: excerpt(d.Text, 90)})
	}
	r.Unsupported = len(r.Citations) == 0 && r.Answer != "" && r.Answer != noAnswer
	return r
}

// stopwords are left out of the words a question is matched by.
var stopwords = wordSet(`a an the and or of to in on at for from by with is are was were be been
	what which who whom whose when where why how does do did much many this that these those it its
	there their they them me my you your we our us i can could would should will shall may please tell
	about any some all document documents`)

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// sentenceEnd splits prose after a full stop, question or exclamation
// mark followed by a capital or a digit.
var sentenceEnd = regexp.MustCompile(`[.!?]\s+`)

// extractAnswer is the local answerer: every sentence of the retrieved
// chunks is scored by the question words it holds, each weighted by how
// rare it is among those sentences (inverse document frequency), plus a
// little of its chunk's similarity; the best sentence, and the next one
// if nearly as good, make the answer, each cited.
func extractAnswer(in chain.Pair[string, []retrieval.Document]) retrieval.Answer {
	question, sources := in.First, in.Second
	ans := retrieval.Answer{Sources: sources}
	q := contentWords(question)
	type candidate struct {
		text   string
		source int
		words  map[string]bool
		score  float64
	}
	var cands []candidate
	df := map[string]int{}
	for i, d := range sources {
		for _, s := range sentences(d.Text) {
			c := candidate{text: s, source: i + 1, words: map[string]bool{}}
			for _, w := range contentWords(s) {
				c.words[w] = true
			}
			for w := range c.words {
				df[w]++
			}
			cands = append(cands, c)
		}
	}
	for i := range cands {
		c := &cands[i]
		seen := map[string]bool{}
		for _, w := range q {
			if c.words[w] && !seen[w] {
				seen[w] = true
				c.score += math.Log(1 + float64(len(cands))/float64(df[w]))
			}
		}
		if c.score > 0 {
			c.score += 0.5 * sources[c.source-1].Score
		}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	if len(cands) == 0 || cands[0].score <= 0 {
		ans.Text = noAnswer
		return ans
	}
	// The best sentence, and the next if nearly as good; the same
	// sentence found in several sources is said once, citing them all.
	type part struct {
		text    string
		sources []int
	}
	var parts []part
	for _, c := range cands {
		if c.score < 0.75*cands[0].score {
			break
		}
		text := strings.TrimSpace(c.text)
		i := slices.IndexFunc(parts, func(p part) bool { return p.text == text })
		switch {
		case i >= 0:
			parts[i].sources = append(parts[i].sources, c.source)
		case len(parts) < 2:
			parts = append(parts, part{text, []int{c.source}})
		default:
			continue
		}
		if !slices.Contains(ans.Citations, c.source) {
			ans.Citations = append(ans.Citations, c.source)
		}
	}
	var said []string
	for _, p := range parts {
		var cites strings.Builder
		for _, n := range p.sources {
			fmt.Fprintf(&cites, "[%d]", n)
		}
		said = append(said, p.text+" "+cites.String())
	}
	ans.Text = strings.Join(said, " ")
	return ans
}

// sentences cuts a text into sentences: OCR lines stay as they are
// (invoice lines, form entries), except that lines of running prose in a
// paragraph are joined first and cut at full stops.
func sentences(text string) []string {
	var out []string
	for _, para := range strings.Split(text, "\n\n") {
		var prose []string
		flush := func() {
			if len(prose) == 0 {
				return
			}
			joined := strings.Join(prose, " ")
			prose = nil
			start := 0
			for _, m := range sentenceEnd.FindAllStringIndex(joined, -1) {
				if m[1] < len(joined) && !startsSentence(joined[m[1]:]) {
					continue
				}
				out = appendSentence(out, joined[start:m[0]+1])
				start = m[1]
			}
			out = appendSentence(out, joined[start:])
		}
		for _, l := range strings.Split(para, "\n") {
			l = strings.TrimSpace(l)
			// A line of six words or more is prose, and so is the end of
			// a prose sentence wrapped onto the next line.
			if len(strings.Fields(l)) >= 6 || (len(prose) > 0 && !strings.ContainsAny(prose[len(prose)-1][len(prose[len(prose)-1])-1:], ".!?:")) {
				prose = append(prose, l)
				continue
			}
			flush()
			out = appendSentence(out, l)
		}
		flush()
	}
	return out
}

func startsSentence(s string) bool {
	return s != "" && (s[0] >= 'A' && s[0] <= 'Z' || s[0] >= '0' && s[0] <= '9')
}

// appendSentence keeps sentences with at least two words.
func appendSentence(out []string, s string) []string {
	if s = strings.TrimSpace(s); len(strings.Fields(s)) >= 2 {
		out = append(out, s)
	}
	return out
}

// contentWords returns the words of s that carry meaning, lowercased and
// with a plural's s dropped.
func contentWords(s string) []string {
	var out []string
	for _, w := range retrieval.Words(s) {
		if stopwords[w] || len(w) < 2 {
			continue
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = w[:len(w)-1]
		}
		out = append(out, w)
	}
	return out
}

// excerpt returns the start of a text on one line, at most n characters.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
