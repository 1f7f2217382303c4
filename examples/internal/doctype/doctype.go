// Package doctype holds the document types of the examples and the local
// classifiers that vote on them: a naive Bayes model trained on the
// bundled texts (testdata/train) and keyword rules. examples/docanalysis
// classifies scanned documents with their vote, and examples/evaluate
// measures the same vote on a labelled set.
package doctype

// Type is the kind of a document: the label the classifiers vote on.
type Type string

// The document types.
const (
	Invoice  Type = "invoice"
	Receipt  Type = "receipt"
	Letter   Type = "letter"
	Contract Type = "contract"
	Form     Type = "form"
)

// All lists the document types in a fixed order.
func All() []Type { return []Type{Invoice, Receipt, Letter, Contract, Form} }
