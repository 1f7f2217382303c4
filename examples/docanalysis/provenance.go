package main

import (
	"fmt"
	"slices"
)

// Provenance says where in the document a field's value was found: the
// page (from 1; 1 for an image or a text), the words it came from (with their
// boxes and OCR confidences for a scan), its place in the document's
// text in characters (End exclusive), and the lowest confidence of its
// words (0 for a text, which has none).
type Provenance struct {
	Field      string       `json:"field"`
	Value      string       `json:"value"`
	By         string       `json:"by"`
	Page       int          `json:"page"`
	Start      int          `json:"start"`
	End        int          `json:"end"`
	Words      []SourceWord `json:"words"`
	Confidence float64      `json:"confidence,omitempty"`
}

// Rejection is a model's value that the document does not say, and the
// rules' value used instead ("" when the rules found none).
type Rejection struct {
	Field  string `json:"field"`
	Model  string `json:"model"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
	Used   string `json:"used"`
}

// String says it for the report: "total: model said 'HELLO' — not found
// in the document; used the rules' value (1,234.50)".
func (r Rejection) String() string {
	used := fmt.Sprintf("used the rules' value (%s)", r.Used)
	if r.Used == "" {
		used = "the rules found none: left empty"
	}
	return fmt.Sprintf("%s: model said '%s' — %s; %s", r.Field, excerpt(r.Value, 60), r.Reason, used)
}

// grounder checks the fields a model extracted against the document,
// puts the rules' value in place of each one the document does not say,
// and records where every value kept was found.
type grounder struct {
	doc        *groundDoc
	by         string // who extracted the fields: a model, or "rules"
	provenance []Provenance
	rejected   []Rejection
}

// scalar grounds one field: *v is the model's value (or the rules' when
// by is "rules"), rule the rules' value.
func (g *grounder) scalar(field string, v *string, rule string) {
	if *v == "" {
		return
	}
	s, why := g.doc.find(*v)
	if why == "" {
		g.record(field, *v, g.by, s)
		return
	}
	if g.by == "rules" {
		return // the rules read the text: kept, but no words to point at
	}
	g.rejected = append(g.rejected, Rejection{Field: field, Model: g.by, Value: *v, Reason: why, Used: rule})
	*v = rule
	if rule != "" {
		if s, why := g.doc.find(rule); why == "" {
			g.record(field, rule, "rules", s)
		}
	}
}

// list grounds a list field element by element: when the document does
// not say one of the model's elements, the whole list is the rules'.
func (g *grounder) list(field string, v *[]string, rule []string) {
	for i, x := range *v {
		if x == "" {
			continue
		}
		if _, why := g.doc.find(x); why != "" && g.by != "rules" {
			g.rejected = append(g.rejected, Rejection{Field: fmt.Sprintf("%s[%d]", field, i), Model: g.by, Value: x, Reason: why, Used: joinParts(rule)})
			*v = slices.Clone(rule)
			g.listProvenance(field, *v, "rules")
			return
		}
	}
	g.listProvenance(field, *v, g.by)
}

func (g *grounder) listProvenance(field string, v []string, by string) {
	for i, x := range v {
		if s, why := g.doc.find(x); why == "" && x != "" {
			g.record(fmt.Sprintf("%s[%d]", field, i), x, by, s)
		}
	}
}

// entries grounds a form's entries by their values, as list does.
func (g *grounder) entries(v *[]FormEntry, rule []FormEntry) {
	values := func(es []FormEntry) []string {
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = e.Value
		}
		return out
	}
	model := values(*v)
	before := len(g.rejected)
	g.list("entries", &model, values(rule))
	if len(g.rejected) > before {
		*v = slices.Clone(rule)
	}
	for i := range g.provenance {
		p := &g.provenance[i]
		var n int
		if _, err := fmt.Sscanf(p.Field, "entries[%d]", &n); err == nil {
			p.Field = fmt.Sprintf("entries[%d].value", n)
		}
	}
}

func (g *grounder) record(field, value, by string, s span) {
	words, start, end, conf := g.doc.source(s)
	g.provenance = append(g.provenance, Provenance{Field: field, Value: value, By: by, Page: pageAt(g.doc.pages, g.doc.tokens[s.from].start), Start: start, End: end, Words: words, Confidence: conf})
}

func joinParts(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += "; "
		}
		out += x
	}
	return out
}

// ground checks f, extracted by by, against the document: with by a
// model, rule holds the rules' fields of the same type (or none), and
// every field of f the document does not say takes the rules' value. It
// returns the fields kept, where each was found, and what was rejected.
func ground(doc *groundDoc, by string, f, rule Fields) (Fields, []Provenance, []Rejection) {
	g := &grounder{doc: doc, by: by}
	switch {
	case f.Invoice != nil:
		v, r := *f.Invoice, deref(rule.Invoice)
		g.scalar("number", &v.Number, r.Number)
		g.scalar("date", &v.Date, r.Date)
		g.scalar("bill_to", &v.BillTo, r.BillTo)
		g.scalar("total", &v.Total, r.Total)
		g.scalar("currency", &v.Currency, r.Currency)
		f.Invoice = &v
	case f.Receipt != nil:
		v, r := *f.Receipt, deref(rule.Receipt)
		g.scalar("merchant", &v.Merchant, r.Merchant)
		g.scalar("date", &v.Date, r.Date)
		g.scalar("total", &v.Total, r.Total)
		g.scalar("currency", &v.Currency, r.Currency)
		f.Receipt = &v
	case f.Letter != nil:
		v, r := *f.Letter, deref(rule.Letter)
		g.scalar("recipient", &v.Recipient, r.Recipient)
		g.scalar("sender", &v.Sender, r.Sender)
		g.scalar("organization", &v.Organization, r.Organization)
		g.scalar("date", &v.Date, r.Date)
		g.scalar("subject", &v.Subject, r.Subject)
		f.Letter = &v
	case f.Contract != nil:
		v, r := *f.Contract, deref(rule.Contract)
		g.list("parties", &v.Parties, r.Parties)
		g.scalar("effective_date", &v.EffectiveDate, r.EffectiveDate)
		g.scalar("term", &v.Term, r.Term)
		g.scalar("governing_law", &v.GoverningLaw, r.GoverningLaw)
		f.Contract = &v
	case f.Form != nil:
		v, r := *f.Form, deref(rule.Form)
		g.scalar("title", &v.Title, r.Title)
		g.scalar("organization", &v.Organization, r.Organization)
		g.scalar("applicant", &v.Applicant, r.Applicant)
		g.scalar("date", &v.Date, r.Date)
		g.entries(&v.Entries, r.Entries)
		f.Form = &v
	}
	return f, g.provenance, g.rejected
}

// deref returns *p, or the zero value when p is nil.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
