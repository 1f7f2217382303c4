package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

// productToken stands for the product in the bundled reviews.
const productToken = "PRODUCT"

// subjectOf finds what a prompt is about: the words after its last "of",
// "about" or "for" ("Write a review of the Kettle Pro" -> "the Kettle
// Pro"), or "it".
func subjectOf(prompt string) string {
	p := strings.TrimRight(strings.TrimSpace(prompt), ".!?")
	best := -1
	lower := strings.ToLower(p)
	for _, w := range []string{" of ", " about ", " for "} {
		if i := strings.LastIndex(lower, w); i >= 0 && i+len(w) > best {
			best = i + len(w)
		}
	}
	if best < 0 || best >= len(p) {
		return "it"
	}
	return strings.TrimSpace(p[best:])
}

// rng returns a generator's random source for a prompt: the same prompt
// and seed give the same text.
func rng(prompt string, seed uint64, salt string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(salt + "\x00" + prompt))
	return rand.New(rand.NewPCG(h.Sum64(), seed))
}

// Markov is a word-level Markov chain of order 2 trained on bundled
// reviews: a plain Go text generator, the local stand-in for a language
// model. It is immutable once trained and safe for concurrent use.
type Markov struct {
	next   map[[2]string][]string
	starts [][2]string
	seed   uint64
	words  int
}

// TrainMarkov learns which word follows each pair of words in the
// sentences of text, one sentence a line.
func TrainMarkov(text string, seed uint64, words int) *Markov {
	m := &Markov{next: map[[2]string][]string{}, seed: seed, words: words}
	for _, line := range strings.Split(text, "\n") {
		ws := strings.Fields(line)
		if len(ws) < 3 {
			continue
		}
		m.starts = append(m.starts, [2]string{ws[0], ws[1]})
		for i := 0; i+2 < len(ws); i++ {
			k := [2]string{ws[i], ws[i+1]}
			m.next[k] = append(m.next[k], ws[i+2])
		}
	}
	return m
}

var sentenceStop = regexp.MustCompile(`[.!?]$`)

// Run writes about two sentences on the prompt's subject.
func (m *Markov) Run(ctx context.Context, prompt string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if len(m.starts) == 0 {
		return "", fmt.Errorf("markov: not trained")
	}
	r := rng(prompt, m.seed, "markov")
	var out []string
	for len(out) < m.words {
		s := m.starts[r.IntN(len(m.starts))]
		sentence := []string{s[0], s[1]}
		for len(sentence) < 3*m.words && !sentenceStop.MatchString(sentence[len(sentence)-1]) {
			cands := m.next[[2]string{sentence[len(sentence)-2], sentence[len(sentence)-1]}]
			if len(cands) == 0 {
				break
			}
			sentence = append(sentence, cands[r.IntN(len(cands))])
		}
		out = append(out, sentence...)
	}
	return fill(strings.Join(out, " "), subjectOf(prompt)), nil
}

// Describe reports the generator as a local model node.
func (m *Markov) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "markov", Detail: fmt.Sprintf("order 2, %d states", len(m.next))}
}

// fill puts the subject in place of the product token, capitalised at the
// start of a sentence.
func fill(text, subject string) string {
	parts := strings.Split(text, productToken)
	var b strings.Builder
	for i, p := range parts {
		b.WriteString(p)
		if i == len(parts)-1 {
			break
		}
		s := subject
		before := strings.TrimRight(b.String(), " ")
		if before == "" || sentenceStop.MatchString(before) {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		b.WriteString(s)
	}
	return b.String()
}

// Template writes a review from fixed sentence patterns with words drawn
// at random: the simplest generator there is, and a different one from
// the Markov chain, so the two err differently.
type Template struct{ seed uint64 }

var (
	templates = []string{
		"PRODUCT is %s and %s. %s",
		"I tried PRODUCT for a week: it is %s, and %s. %s",
		"Honestly, PRODUCT feels %s and %s. %s",
	}
	qualities = []string{"fast", "reliable", "well made", "quiet", "flimsy", "loud", "slow", "easy to clean", "overpriced", "sturdy"}
	details   = []string{"the handle stays cool", "the lid rattles", "the cable is too short", "it looks great on the counter", "the instructions were confusing", "setting it up took minutes"}
	verdicts  = []string{"I would buy it again.", "I returned it.", "It is worth every penny.", "I regret buying it.", "I recommend it."}
)

// Run fills a random template.
func (t Template) Run(ctx context.Context, prompt string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	r := rng(prompt, t.seed, "template")
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	text := fmt.Sprintf(pick(templates), pick(qualities), pick(details), pick(verdicts))
	return fill(text, subjectOf(prompt)), nil
}

// Describe reports the generator as a local model node.
func (Template) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "template", Detail: fmt.Sprintf("%d patterns", len(templates))}
}
