package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-go/chorus/examples/internal/doctype"
)

// DocType is the kind of a document: the label the classifiers vote on
// and the key the extraction routes on.
type DocType = doctype.Type

// The document types the pipeline knows.
const (
	Invoice  = doctype.Invoice
	Receipt  = doctype.Receipt
	Letter   = doctype.Letter
	Contract = doctype.Contract
	Form     = doctype.Form
)

// InvoiceFields are what an invoice says.
type InvoiceFields struct {
	Number   string `json:"number" jsonschema:"description=The invoice number as printed (such as INV-2041)"`
	Date     string `json:"date" jsonschema:"description=The invoice date as YYYY-MM-DD"`
	BillTo   string `json:"bill_to" jsonschema:"description=The name of the customer the invoice is billed to (no address)"`
	Total    string `json:"total" jsonschema:"description=The total amount due as printed (such as 1234.50)"`
	Currency string `json:"currency" jsonschema:"description=The ISO 4217 code of the currency of the total (such as EUR)"`
}

// ReceiptFields are what a till receipt says.
type ReceiptFields struct {
	Merchant string `json:"merchant" jsonschema:"description=The name of the shop"`
	Date     string `json:"date" jsonschema:"description=The date of the purchase as YYYY-MM-DD"`
	Total    string `json:"total" jsonschema:"description=The total paid as printed (such as 22.66)"`
	Currency string `json:"currency" jsonschema:"description=The ISO 4217 code of the currency of the total or empty if not printed"`
}

// LetterFields are who wrote a letter to whom, when and about what.
type LetterFields struct {
	Recipient    string `json:"recipient" jsonschema:"description=Who the letter is addressed to as in the salutation (such as Ms Smith)"`
	Sender       string `json:"sender" jsonschema:"description=The name of the person who signed the letter"`
	Organization string `json:"organization" jsonschema:"description=The organisation the letter comes from or empty"`
	Date         string `json:"date" jsonschema:"description=The date of the letter as YYYY-MM-DD"`
	Subject      string `json:"subject,omitempty" jsonschema:"description=The subject line of the letter if it has one"`
}

// ContractFields are who agreed to what, from when and for how long.
type ContractFields struct {
	Parties       []string `json:"parties" jsonschema:"description=The names of the parties to the contract (names only: no addresses or roles)"`
	EffectiveDate string   `json:"effective_date" jsonschema:"description=The date the contract takes effect as YYYY-MM-DD"`
	Term          string   `json:"term" jsonschema:"description=How long the contract runs (such as 24 months)"`
	GoverningLaw  string   `json:"governing_law" jsonschema:"description=The law that governs the contract (such as England and Wales) or empty"`
}

// FormFields are a filled-in form: its title, who filled it in, when, and
// every labelled entry.
type FormFields struct {
	Title        string      `json:"title" jsonschema:"description=The title of the form"`
	Organization string      `json:"organization" jsonschema:"description=The organisation the form belongs to or empty"`
	Applicant    string      `json:"applicant" jsonschema:"description=The full name of the person who filled in the form"`
	Date         string      `json:"date" jsonschema:"description=The date the form was signed as YYYY-MM-DD"`
	Entries      []FormEntry `json:"entries" jsonschema:"description=Every labelled field of the form with its filled-in value"`
}

// FormEntry is one labelled field of a form.
type FormEntry struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Fields holds the fields of a document: the one member matching its type
// is set. It is a typed union, not a map, so the compiler checks every
// use.
type Fields struct {
	Invoice  *InvoiceFields  `json:"invoice,omitempty"`
	Receipt  *ReceiptFields  `json:"receipt,omitempty"`
	Letter   *LetterFields   `json:"letter,omitempty"`
	Contract *ContractFields `json:"contract,omitempty"`
	Form     *FormFields     `json:"form,omitempty"`
}

// Pairs lists the fields as label and value, in a fixed order, for
// reports; empty values are left out.
func (f Fields) Pairs() [][2]string {
	var out [][2]string
	add := func(label, value string) {
		if value = strings.TrimSpace(value); value != "" {
			out = append(out, [2]string{label, value})
		}
	}
	money := func(total, currency string) string { return strings.TrimSpace(total + " " + currency) }
	switch {
	case f.Invoice != nil:
		v := f.Invoice
		add("number", v.Number)
		add("date", v.Date)
		add("bill to", v.BillTo)
		add("total", money(v.Total, v.Currency))
	case f.Receipt != nil:
		v := f.Receipt
		add("merchant", v.Merchant)
		add("date", v.Date)
		add("total", money(v.Total, v.Currency))
	case f.Letter != nil:
		v := f.Letter
		add("recipient", v.Recipient)
		add("sender", v.Sender)
		add("organization", v.Organization)
		add("date", v.Date)
		add("subject", v.Subject)
	case f.Contract != nil:
		v := f.Contract
		add("parties", strings.Join(v.Parties, "; "))
		add("effective", v.EffectiveDate)
		add("term", v.Term)
		add("governing law", v.GoverningLaw)
	case f.Form != nil:
		v := f.Form
		add("title", v.Title)
		add("organization", v.Organization)
		add("applicant", v.Applicant)
		add("date", v.Date)
		add("entries", strconv.Itoa(len(v.Entries)))
	}
	return out
}

// Summary states the fields as sentences for the vector index, so that a
// question such as "what is the invoice total?" finds them.
func (f Fields) Summary(t DocType) string {
	var b strings.Builder
	title := strings.ToUpper(string(t[:1])) + string(t[1:])
	for _, p := range f.Pairs() {
		if p[0] == "entries" {
			continue
		}
		fmt.Fprintf(&b, "%s %s: %s.\n", title, p[0], strings.TrimSuffix(p[1], "."))
	}
	if f.Form != nil {
		for _, e := range f.Form.Entries {
			fmt.Fprintf(&b, "Form %s: %s.\n", strings.ToLower(e.Label), strings.TrimSuffix(e.Value, "."))
		}
	}
	return strings.TrimSpace(b.String())
}

// normalize puts dates as YYYY-MM-DD, amounts as 1,234.50 and currencies
// as ISO codes, whoever extracted them, so that the model and the rules
// give comparable answers.
func (f Fields) normalize() Fields {
	switch {
	case f.Invoice != nil:
		v := *f.Invoice
		v.Number = strings.TrimSpace(v.Number)
		v.Date = normalizeDate(v.Date)
		v.BillTo = strings.TrimSpace(v.BillTo)
		v.Total, v.Currency = normalizeMoney(v.Total, v.Currency)
		f.Invoice = &v
	case f.Receipt != nil:
		v := *f.Receipt
		v.Merchant = strings.TrimSpace(v.Merchant)
		v.Date = normalizeDate(v.Date)
		v.Total, v.Currency = normalizeMoney(v.Total, v.Currency)
		f.Receipt = &v
	case f.Letter != nil:
		v := *f.Letter
		v.Date = normalizeDate(v.Date)
		f.Letter = &v
	case f.Contract != nil:
		v := *f.Contract
		v.Parties = append([]string(nil), v.Parties...)
		for i, p := range v.Parties {
			v.Parties[i] = strings.TrimSpace(p)
		}
		v.EffectiveDate = normalizeDate(v.EffectiveDate)
		f.Contract = &v
	case f.Form != nil:
		v := *f.Form
		v.Date = normalizeDate(v.Date)
		f.Form = &v
	}
	return f
}

// dateLayouts are the date formats normalizeDate reads, day before month
// where it is ambiguous.
var dateLayouts = []string{
	"2006-01-02", "2 January 2006", "2 Jan 2006", "January 2, 2006", "Jan 2, 2006",
	"January 2 2006", "02/01/2006", "2/1/2006", "02.01.2006", "2006/01/02",
}

// normalizeDate returns s as YYYY-MM-DD when it is a date normalizeDate
// knows, else s trimmed.
func normalizeDate(s string) string {
	s = strings.TrimSpace(s)
	clean := strings.Join(strings.Fields(strings.Trim(s, ".,;")), " ")
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, clean); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return s
}

// symbols maps currency signs to ISO codes.
var symbols = map[string]string{"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY"}

var (
	isoCode = regexp.MustCompile(`\b[A-Z]{3}\b`)
	amount  = regexp.MustCompile(`-?\d[\d,.' ]*`)
)

// normalizeMoney returns the amount with a comma between thousands and a
// point before two decimals ("1,234.50"), and the currency as an ISO code,
// taken from the amount when it carries one ("€12.00", "12.00 EUR").
func normalizeMoney(total, currency string) (string, string) {
	total, currency = strings.TrimSpace(total), strings.TrimSpace(currency)
	if c, ok := symbols[currency]; ok {
		currency = c
	}
	if currency == "" {
		for sym, code := range symbols {
			if strings.Contains(total, sym) {
				currency = code
			}
		}
		if code := isoCode.FindString(strings.ToUpper(total)); code != "" {
			currency = code
		}
	}
	currency = strings.ToUpper(currency)
	m := amount.FindString(total)
	if m == "" {
		return total, currency
	}
	cents, ok := parseCents(strings.TrimSpace(m))
	if !ok {
		return total, currency
	}
	return formatCents(cents), currency
}

// parseCents reads an amount written as 1,234.50, 1.234,50, 1234.5 or
// 1234, in hundredths.
func parseCents(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	s = strings.NewReplacer(" ", "", "'", "").Replace(s)
	dec := strings.LastIndexAny(s, ".,")
	intPart, frac := s, ""
	// A separator followed by one or two digits is the decimal point;
	// followed by three, it groups thousands.
	if dec >= 0 && len(s)-dec-1 <= 2 {
		intPart, frac = s[:dec], s[dec+1:]
	}
	intPart = strings.NewReplacer(",", "", ".", "").Replace(intPart)
	if intPart == "" {
		intPart = "0"
	}
	for len(frac) < 2 {
		frac += "0"
	}
	units, err1 := strconv.ParseInt(intPart, 10, 64)
	hundredths, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	c := units*100 + hundredths
	if neg {
		c = -c
	}
	return c, true
}

// formatCents writes hundredths as 1,234.50.
func formatCents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	units := strconv.FormatInt(c/100, 10)
	var b strings.Builder
	for i, r := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s%s.%02d", sign, b.String(), c%100)
}
