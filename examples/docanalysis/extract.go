package main

import (
	"context"

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
	// Provenance says where each value was found in the document, and
	// Rejected which of a model's values the document does not say (the
	// rules' values replace them).
	Provenance []Provenance
	Rejected   []Rejection
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
// amounts, currencies) and recorded with whose they are. A model's
// fields are grounded: each value the document does not say is replaced
// by the rules' (schema-valid is not the same as true), and every value
// kept carries where it was found.
func typed[T any](t DocType, models []chatModel, rule func(context.Context, string) (T, error), wrap func(T) Fields) chain.Chain[Analysis, Extraction] {
	rules := chain.Named("rules:"+string(t), chain.Fn(rule))
	extract := chain.Wrap(rules, answered[string, T])
	names := []string{"rules"} // by the index of the alternative that answered
	if len(models) > 0 {
		var alts []chain.Chain[string, T]
		names = nil
		for _, m := range models {
			// The model is guarded (retries, timeout, breaker): see guard.
			alts = append(alts, chain.Named(m.spec.String(), llm.Extractor[T](m.model)))
			names = append(names, m.spec.String())
		}
		names = append(names, "rules")
		extract = chain.Named("extract:"+string(t), chain.FallbackTrace(alts[0], append(alts[1:], rules)...))
	}
	return chain.Wrap(extract, func(ctx context.Context, a Analysis, extract chain.Chain[string, chain.Answered[T]]) (Extraction, error) {
		ans, err := extract.Run(ctx, a.Text)
		if err != nil {
			return Extraction{}, err
		}
		out := Extraction{Fields: wrap(ans.Value).normalize(), By: names[ans.Index]}
		var ruled Fields
		if out.By != "rules" {
			// The rules' fields, to stand in for the model's where the
			// document does not say them; partial ones too.
			v, _ := rule(ctx, a.Text)
			ruled = wrap(v).normalize()
		}
		doc := newGroundDoc(a.Text, a.words)
		doc.pages = a.pageStarts
		out.Fields, out.Provenance, out.Rejected = ground(doc, out.By, out.Fields, ruled)
		for _, err := range ans.Errors {
			out.FellBack = append(out.FellBack, err.Error())
		}
		return out, nil
	})
}
