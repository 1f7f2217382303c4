// Package bayes is the multinomial naive Bayes text classifier the
// examples train at start-up on a few bundled texts: a small classical
// model written in Go. Each example brings its own tokenizer and wraps
// the model as a chain.
package bayes

import (
	"errors"
	"math"
	"slices"
)

// Model is a multinomial naive Bayes classifier with Laplace (add-one)
// smoothing: P(label) is the share of training documents with the label
// and P(word | label) = (count + 1) / (words of the label + vocabulary
// size). A word no training document had is ignored. A Model is
// immutable once trained and safe for concurrent use.
type Model[L comparable] struct {
	labels   []L
	logPrior []float64
	logLike  []map[string]float64 // per label: log P(word | label)
	logMiss  []float64            // per label: log P(word | label) of a word never seen with it
	vocab    map[string]bool
}

// Train learns from docs, the words of each training document, and
// labels, the label of each. The labels are kept in the order they first
// appear.
func Train[L comparable](docs [][]string, labels []L) (*Model[L], error) {
	if len(docs) == 0 {
		return nil, errors.New("naive bayes: no training examples")
	}
	if len(docs) != len(labels) {
		return nil, errors.New("naive bayes: not one label per training example")
	}
	m := &Model[L]{vocab: map[string]bool{}}
	index := map[L]int{}
	var ndocs []int
	var counts []map[string]int
	var totals []int
	for d, words := range docs {
		i, ok := index[labels[d]]
		if !ok {
			i = len(m.labels)
			index[labels[d]] = i
			m.labels = append(m.labels, labels[d])
			ndocs = append(ndocs, 0)
			counts = append(counts, map[string]int{})
			totals = append(totals, 0)
		}
		ndocs[i]++
		for _, w := range words {
			counts[i][w]++
			totals[i]++
			m.vocab[w] = true
		}
	}
	v := float64(len(m.vocab))
	for i := range m.labels {
		m.logPrior = append(m.logPrior, math.Log(float64(ndocs[i])/float64(len(docs))))
		denom := float64(totals[i]) + v
		like := make(map[string]float64, len(counts[i]))
		for w, c := range counts[i] {
			like[w] = math.Log((float64(c) + 1) / denom)
		}
		m.logLike = append(m.logLike, like)
		m.logMiss = append(m.logMiss, math.Log(1/denom))
	}
	return m, nil
}

// Labels returns the labels the model learnt, in training order.
func (m *Model[L]) Labels() []L { return slices.Clone(m.labels) }

// Vocabulary returns how many distinct words the model learnt.
func (m *Model[L]) Vocabulary() int { return len(m.vocab) }

// Knows reports whether one of words is a word the model learnt.
func (m *Model[L]) Knows(words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return m.vocab[w] })
}

// Probabilities returns P(label | words) for each label, in Labels order.
func (m *Model[L]) Probabilities(words []string) []float64 {
	logs := make([]float64, len(m.labels))
	for i := range m.labels {
		s := m.logPrior[i]
		for _, w := range words {
			if !m.vocab[w] {
				continue // a word no example had says nothing
			}
			if l, ok := m.logLike[i][w]; ok {
				s += l
			} else {
				s += m.logMiss[i]
			}
		}
		logs[i] = s
	}
	// Softmax, shifted by the maximum so that exp does not underflow.
	top := slices.Max(logs)
	sum := 0.0
	for i, l := range logs {
		logs[i] = math.Exp(l - top)
		sum += logs[i]
	}
	for i := range logs {
		logs[i] /= sum
	}
	return logs
}

// Classify returns the most probable label (the first of equals), its
// index in Labels and P(label | words) of every label.
func (m *Model[L]) Classify(words []string) (L, int, []float64) {
	p := m.Probabilities(words)
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	return m.labels[best], best, p
}
