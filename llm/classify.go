package llm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/chorus-go/chorus/chain"
)

// Classification is a label with the model's confidence in it, from 0 to 1,
// as ScoredClassifier returns it.
type Classification[L ~string] struct {
	Label      L       `json:"label"`
	Confidence float64 `json:"confidence" jsonschema:"minimum=0,maximum=1"`
}

// labelOnly is what Classifier asks for.
type labelOnly[L ~string] struct {
	Label L `json:"label"`
}

// Classifier makes a chain that puts a text into one of the labels: the
// model is asked for the JSON object {"label": ...} whose schema lists the
// labels as an enum, so a strict provider can only answer with one of
// them; any other answer fails validation and is re-asked like any invalid
// reply (see Structured), then fails with an *OutputError. The chain's node
// is named "classify:<L>" and lists the labels.
//
// A Classifier is a chain.Chain[string, L], so it can be a member of
// chain.Vote or the router of chain.Route (chain.RouterOf).
//
// Classifier panics if the model is nil, an option is invalid, or labels
// is empty, holds an empty label or holds a label twice; NewClassifier
// returns the error instead.
func Classifier[L ~string](model ChatModel, labels []L, opts ...StructuredOption) chain.Chain[string, L] {
	c, err := NewClassifier(model, labels, opts...)
	if err != nil {
		panic(err)
	}
	return c
}

// NewClassifier is Classifier returning an error, matching chain.ErrConfig,
// instead of panicking.
func NewClassifier[L ~string](model ChatModel, labels []L, opts ...StructuredOption) (chain.Chain[string, L], error) {
	s, err := newClassifier[labelOnly[L]](model, labels, false, opts)
	if err != nil {
		return nil, &configError{"Classifier", err}
	}
	return classifier[L]{s}, nil
}

// ScoredClassifier is Classifier that also asks the model how confident
// it is, from 0 to 1 (the schema bounds it). Use the confidence as a vote
// weight, or to send doubtful inputs to a stronger model.
func ScoredClassifier[L ~string](model ChatModel, labels []L, opts ...StructuredOption) chain.Chain[string, Classification[L]] {
	c, err := NewScoredClassifier(model, labels, opts...)
	if err != nil {
		panic(err)
	}
	return c
}

// NewScoredClassifier is ScoredClassifier returning an error, matching
// chain.ErrConfig, instead of panicking.
func NewScoredClassifier[L ~string](model ChatModel, labels []L, opts ...StructuredOption) (chain.Chain[string, Classification[L]], error) {
	s, err := newClassifier[Classification[L]](model, labels, true, opts)
	if err != nil {
		return nil, &configError{"ScoredClassifier", err}
	}
	return s, nil
}

func newClassifier[Out any, L ~string](model ChatModel, labels []L, scored bool, opts []StructuredOption) (*structured[string, Out], error) {
	if len(labels) == 0 {
		return nil, errors.New("no labels")
	}
	enum := make([]any, len(labels))
	quoted := make([]string, len(labels))
	plain := make([]string, len(labels))
	seen := make(map[L]bool, len(labels))
	for i, l := range labels {
		if l == "" {
			return nil, fmt.Errorf("label %d is empty", i)
		}
		if seen[l] {
			return nil, fmt.Errorf("label %q is given twice", string(l))
		}
		seen[l] = true
		enum[i] = string(l)
		quoted[i] = strconv.Quote(string(l))
		plain[i] = string(l)
	}
	instruction := "Classify the text the user gives into exactly one of these labels: " + strings.Join(quoted, ", ") +
		`. Reply with a JSON object whose "label" is that label`
	if scored {
		instruction += ` and whose "confidence" is how sure you are of it, from 0 to 1`
	}
	instruction += ", and nothing else."
	detail := strings.Join(plain, ", ")
	if len(detail) > 80 {
		detail = fmt.Sprintf("%d labels", len(labels))
	}
	return newStructured[string, Out](model, adapterSpec{
		kind:        "classify",
		label:       typeLabel(reflect.TypeFor[L]()),
		detail:      detail,
		instruction: instruction,
		edit: func(root *jsonschema.Schema) {
			if p, ok := root.Properties.Get("label"); ok {
				p.Enum = enum
				p.Description = "The label of the text."
			}
			if p, ok := root.Properties.Get("confidence"); ok {
				p.Description = "How sure the label is, from 0 (a guess) to 1 (certain)."
			}
		},
	}, opts)
}

// classifier keeps the label of a labelOnly answer.
type classifier[L ~string] struct {
	s *structured[string, labelOnly[L]]
}

func (c classifier[L]) Run(ctx context.Context, text string) (L, error) {
	v, err := c.s.Run(ctx, text)
	return v.Label, err
}

func (c classifier[L]) Describe() chain.Node { return c.s.Describe() }
