package main

import (
	"context"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Extraction is the fields of a document and who extracted them.
type Extraction struct {
	Fields Fields
	// By names the extractor that answered: a model, or "rules".
	By string
	// FellBack holds the errors of the extractors tried before it.
	FellBack []string
}

// extractStage routes a classified document to the extractor of its
// type. Each extractor tries the language models in turn, typed by the
// fields struct (llm.Extractor: schema from the struct, validated,
// repaired), and falls back to the regular-expression rules.
func extractStage(models []chatModel) chain.Chain[Analysis, Extraction] {
	routes := map[DocType]chain.Chain[Analysis, Extraction]{
		Invoice:  typed(Invoice, models, ruleInvoice, func(v InvoiceFields) Fields { return Fields{Invoice: &v} }),
		Receipt:  typed(Receipt, models, ruleReceipt, func(v ReceiptFields) Fields { return Fields{Receipt: &v} }),
		Letter:   typed(Letter, models, ruleLetter, func(v LetterFields) Fields { return Fields{Letter: &v} }),
		Contract: typed(Contract, models, ruleContract, func(v ContractFields) Fields { return Fields{Contract: &v} }),
		Form:     typed(Form, models, ruleForm, func(v FormFields) Fields { return Fields{Form: &v} }),
	}
	return chain.Named("extract", chain.Route(chain.RouterFunc[Analysis, DocType](docType), routes))
}

// docType routes an analysis by its document type.
func docType(_ context.Context, a Analysis) (DocType, error) { return a.Type, nil }

// typed makes the extractor of one document type: the models' typed
// extractors, then the rules, in a chain.FallbackTrace (the rules alone
// when there is no model); the answer's fields are normalised (dates,
// amounts, currencies).
func typed[T any](t DocType, models []chatModel, rule func(context.Context, string) (T, error), wrap func(T) Fields) chain.Chain[Analysis, Extraction] {
	rules := chain.Named("rules:"+string(t), chain.Fn(rule))
	x := typedExtractor[T]{wrap: wrap}
	if len(models) == 0 {
		x.extract = chain.Named("rules:"+string(t), chain.Fn(func(ctx context.Context, text string) (chain.Answered[T], error) {
			v, err := rule(ctx, text)
			return chain.Answered[T]{Value: v}, err
		}))
		x.names = []string{"rules"}
		return x
	}
	var alts []chain.Chain[string, T]
	for _, m := range models {
		alts = append(alts, chain.Named(m.spec.String(), chain.Retry(chain.Timeout(llm.Extractor[T](m.model), 2*time.Minute), chain.Attempts(2))))
		x.names = append(x.names, m.spec.String())
	}
	x.names = append(x.names, "rules")
	x.extract = chain.Named("extract:"+string(t), chain.FallbackTrace(alts[0], append(alts[1:], rules)...))
	return x
}

// typedExtractor runs a typed extraction on a document's text and
// records whose answer it is. It draws as its extraction.
type typedExtractor[T any] struct {
	extract chain.Chain[string, chain.Answered[T]]
	names   []string // by the index of the alternative that answered
	wrap    func(T) Fields
}

func (x typedExtractor[T]) Run(ctx context.Context, a Analysis) (Extraction, error) {
	ans, err := x.extract.Run(ctx, a.Text)
	if err != nil {
		return Extraction{}, err
	}
	out := Extraction{Fields: x.wrap(ans.Value).normalize(), By: x.names[ans.Index]}
	for _, err := range ans.Errors {
		out.FellBack = append(out.FellBack, err.Error())
	}
	return out, nil
}

func (x typedExtractor[T]) Describe() chain.Node { return chain.Describe(x.extract) }
