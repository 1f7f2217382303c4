package llm_test

import (
	"context"
	"sync"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/schematest"
	"github.com/chorus-go/chorus/llm"
)

// The types the tests use, shared with the other schema tests.
type (
	line    = schematest.Line
	party   = schematest.Party
	invoice = schematest.Invoice
)

const validInvoice = schematest.ValidInvoice

var wantInvoice = schematest.WantInvoice()

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
