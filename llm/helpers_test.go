package llm_test

import (
	"context"
	"sync"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// The types the tests ask models for.
type line struct {
	Description string  `json:"description" jsonschema:"description=What was sold"`
	Quantity    int     `json:"quantity"`
	UnitPrice   float64 `json:"unit_price"`
	Note        string  `json:"note,omitempty" jsonschema:"description=A remark on the line"`
}

type party struct {
	Name  string `json:"name"`
	VATID string `json:"vat_id,omitempty"`
}

type invoice struct {
	Number string   `json:"number" jsonschema:"description=The invoice number"`
	Seller party    `json:"seller"`
	Buyer  *party   `json:"buyer,omitempty"`
	Lines  []line   `json:"lines"`
	Total  float64  `json:"total"`
	Tags   []string `json:"tags,omitempty"`
	Paid   bool     `json:"paid,omitempty"`
}

const validInvoice = `{"number":"A-17","seller":{"name":"ACME","vat_id":null},"buyer":null,` +
	`"lines":[{"description":"bolts","quantity":3,"unit_price":2.5,"note":null}],"total":7.5,"tags":null,"paid":null}`

var wantInvoice = invoice{
	Number: "A-17",
	Seller: party{Name: "ACME"},
	Lines:  []line{{Description: "bolts", Quantity: 3, UnitPrice: 2.5}},
	Total:  7.5,
}

type docType string

const (
	invoiceDoc docType = "invoice"
	receiptDoc docType = "receipt"
	letterDoc  docType = "letter"
)

var docTypes = []docType{invoiceDoc, receiptDoc, letterDoc}

// recorder is a hook that keeps the events it sees.
type recorder struct {
	mu     sync.Mutex
	events []chain.Event
}

func (r *recorder) ctx() context.Context {
	return chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.events = append(r.events, e)
	}})
}

func (r *recorder) count(kind chain.EventKind) (n, in, out int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if e.Kind == kind {
			n++
			in += e.InputTokens
			out += e.OutputTokens
		}
	}
	return n, in, out
}

// lastUser returns the text of the last user message of a request.
func lastUser(req llm.Request) string {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role == llm.RoleUser {
			return req.Messages[i].Text()
		}
	}
	return ""
}
