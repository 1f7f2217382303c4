package main

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"unicode"
)

// The rule-based extractors: regular expressions over the OCR text, the
// local fallback of the language models.

var (
	moneyRe    = regexp.MustCompile(`(?:[€$£]\s?)?\d{1,3}(?:[,.']\d{3})+(?:[.,]\d{2})?|(?:[€$£]\s?)?\d+[.,]\d{2}\b`)
	currencyRe = regexp.MustCompile(`\b(EUR|USD|GBP|CHF|JPY|CAD|AUD|SEK|NOK|DKK|PLN)\b|[€$£]`)
	dateRe     = regexp.MustCompile(`(?i)\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b|` +
		`\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b|` +
		`\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b`)

	invoiceNumberRe = regexp.MustCompile(`(?im)\binvoice[ \t]*(?:number|no\.?|nr\.?|#|ref(?:erence)?)?[ \t]*[:#.]?[ \t]*([A-Z0-9][A-Z0-9/-]*\d[A-Z0-9/-]*)`)
	dateLineRe      = regexp.MustCompile(`(?im)^[ \t]*(?:invoice[ \t]+|issue[ \t]+)?date[ \t]*:?[ \t]*(.+)$`)
	billToRe        = regexp.MustCompile(`(?im)^[ \t]*(?:bill(?:ed)?[ \t]+to|sold[ \t]+to|customer|client)[ \t]*:?[ \t]*(.+)$`)
	totalLineRe     = regexp.MustCompile(`(?im)^.*\b(?:total|amount|balance)\b.*$`)
	subtotalRe      = regexp.MustCompile(`(?i)\bsub[ \t]?total\b|\bnet[ \t]+total\b`)
	dueRe           = regexp.MustCompile(`(?i)\b(?:due|payable|to pay)\b|\binvoice[ \t]+total\b|^[ \t]*(?:grand[ \t]+)?total\b`)

	salutationRe = regexp.MustCompile(`(?im)^[ \t]*dear[ \t]+(.+?)[ \t]*[,:]?[ \t]*$`)
	closingRe    = regexp.MustCompile(`(?im)^[ \t]*(?:yours[ \t]+(?:sincerely|faithfully|truly)|sincerely(?:[ \t]+yours)?|kind[ \t]+regards|best[ \t]+(?:wishes|regards)|with[ \t]+best[ \t]+wishes|regards)[ \t]*[,.]?[ \t]*$`)
	subjectRe    = regexp.MustCompile(`(?im)^[ \t]*(?:re|subject)[ \t]*:[ \t]*(.+)$`)

	partiesRe      = regexp.MustCompile(`(?i)\bbetween\s+(.+?)\s*\([^)]*\)\s*,?\s*and\s+(.+?)\s*\(`)
	partiesPlainRe = regexp.MustCompile(`(?i)\b(?:between|parties,?)\s+(.+?)\s+and\s+(.+?)(?:[.,(]|\s+agree)`)
	effectiveRe    = regexp.MustCompile(`(?i)\b(?:takes?\s+effect|effective|commenc\w*|starts?|begin\w*)\s+(?:on|from)\s+(.{6,25})`)
	madeOnRe       = regexp.MustCompile(`(?i)\bmade\s+on\s+(.{6,25})`)
	termRe         = regexp.MustCompile(`(?i)\b(?:for\s+(?:a|an\s+initial)\s+term\s+of|term\s+of\s+(?:the|this)\s+\w+\s+is|remains\s+in\s+force\s+for|term\s+of)\s+([^.,;()]+)`)
	lawRe          = regexp.MustCompile(`(?i)\bgoverned\s+by\s+the\s+laws?\s+of\s+(?:the\s+)?([^.;]+)|\bgoverning\s+law\s*:\s*([^.;]+)`)

	entryRe     = regexp.MustCompile(`^[ \t]*([A-Za-z][A-Za-z0-9 /()'-]{1,40}?)[ \t]*:[ \t]*(.+?)[ \t]*$`)
	applicantRe = regexp.MustCompile(`(?i)^(?:full\s+name|name|applicant(?:\s+name)?|student\s+name|employee\s+name)$`)
	signedRe    = regexp.MustCompile(`(?i)^(?:date\s+signed|signed\s+on|date)$`)
)

// ruleInvoice extracts an invoice's fields.
func ruleInvoice(_ context.Context, text string) (InvoiceFields, error) {
	var f InvoiceFields
	if m := invoiceNumberRe.FindStringSubmatch(text); m != nil {
		f.Number = m[1]
	}
	if m := dateLineRe.FindStringSubmatch(text); m != nil {
		f.Date = dateRe.FindString(m[1])
	}
	if f.Date == "" {
		f.Date = dateRe.FindString(text)
	}
	if m := billToRe.FindStringSubmatch(text); m != nil {
		f.BillTo = firstPart(m[1])
	}
	f.Total, f.Currency = total(text)
	if f.Currency == "" {
		f.Currency = currencyRe.FindString(text)
	}
	if f.Number == "" && f.Total == "" {
		return f, errors.New("rules: no invoice number or total found")
	}
	return f, nil
}

// ruleReceipt extracts a receipt's fields.
func ruleReceipt(_ context.Context, text string) (ReceiptFields, error) {
	var f ReceiptFields
	for _, l := range lines(text) {
		if name := cleanName(l); len(name) >= 2 {
			f.Merchant = name
			break
		}
	}
	f.Date = dateRe.FindString(text)
	f.Total, f.Currency = total(text)
	if f.Total == "" {
		return f, errors.New("rules: no total found")
	}
	return f, nil
}

// total finds the amount due: on the last line naming a total (not a
// subtotal), preferring lines that say it is due, the last amount.
func total(text string) (amount, currency string) {
	var best string
	bestDue := false
	for _, l := range totalLineRe.FindAllString(text, -1) {
		if subtotalRe.MatchString(l) {
			continue
		}
		found := moneyRe.FindAllString(l, -1)
		if len(found) == 0 {
			continue
		}
		due := dueRe.MatchString(l)
		if due || !bestDue {
			best, bestDue = l, due
			amount = found[len(found)-1]
		}
	}
	if best != "" {
		currency = currencyRe.FindString(best)
	}
	return amount, currency
}

// ruleLetter extracts a letter's fields.
func ruleLetter(_ context.Context, text string) (LetterFields, error) {
	var f LetterFields
	m := salutationRe.FindStringSubmatchIndex(text)
	if m == nil {
		return f, errors.New("rules: no salutation (Dear ...) found")
	}
	f.Recipient = strings.TrimSpace(text[m[2]:m[3]])
	head := text[:m[0]]
	f.Date = dateRe.FindString(head)
	if ls := lines(head); len(ls) > 0 && dateRe.FindString(ls[0]) == "" {
		f.Organization = cleanName(ls[0])
	}
	if c := closingRe.FindStringIndex(text); c != nil {
		if ls := lines(text[c[1]:]); len(ls) > 0 {
			f.Sender = cleanName(ls[0])
		}
	}
	if s := subjectRe.FindStringSubmatch(text); s != nil {
		f.Subject = strings.TrimSpace(s[1])
	}
	return f, nil
}

// ruleContract extracts a contract's fields.
func ruleContract(_ context.Context, text string) (ContractFields, error) {
	var f ContractFields
	flat := strings.Join(strings.Fields(text), " ")
	if m := partiesRe.FindStringSubmatch(flat); m != nil {
		f.Parties = []string{firstPart(m[1]), firstPart(m[2])}
	} else if m := partiesPlainRe.FindStringSubmatch(flat); m != nil {
		f.Parties = []string{firstPart(m[1]), firstPart(m[2])}
	}
	if m := effectiveRe.FindStringSubmatch(flat); m != nil {
		f.EffectiveDate = dateRe.FindString(m[1])
	}
	if m := madeOnRe.FindStringSubmatch(flat); f.EffectiveDate == "" && m != nil {
		f.EffectiveDate = dateRe.FindString(m[1])
	}
	if m := termRe.FindStringSubmatch(flat); m != nil {
		f.Term = strings.TrimSpace(m[1])
	}
	if m := lawRe.FindStringSubmatch(flat); m != nil {
		f.GoverningLaw = strings.TrimSpace(m[1] + m[2])
	}
	if len(f.Parties) == 0 {
		return f, errors.New("rules: no parties found")
	}
	return f, nil
}

// ruleForm extracts a form's title and its "Label: value" entries.
func ruleForm(_ context.Context, text string) (FormFields, error) {
	var f FormFields
	ls := lines(text)
	if len(ls) > 0 {
		f.Title = cleanName(ls[0])
	}
	for _, l := range ls[min(1, len(ls)):] {
		m := entryRe.FindStringSubmatch(l)
		if m == nil {
			if f.Organization == "" && len(f.Entries) == 0 && !strings.HasPrefix(strings.ToLower(l), "please") {
				f.Organization = cleanName(l)
			}
			continue
		}
		label, value := strings.TrimSpace(m[1]), cleanValue(m[2])
		if value == "" {
			continue
		}
		f.Entries = append(f.Entries, FormEntry{Label: label, Value: value})
		switch {
		case applicantRe.MatchString(label) && f.Applicant == "":
			f.Applicant = value
		case signedRe.MatchString(label):
			if d := dateRe.FindString(value); d != "" {
				f.Date = d
			}
		}
	}
	if len(f.Entries) == 0 {
		return f, errors.New("rules: no form entries (Label: value) found")
	}
	return f, nil
}

// lines returns the non-blank lines of text, trimmed.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// firstPart returns s up to its first comma: a name without its address.
func firstPart(s string) string {
	s, _, _ = strings.Cut(s, ",")
	return strings.TrimSpace(s)
}

// cleanName drops the specks OCR leaves in a name ("CORNER. SHOP"):
// anything but letters, digits, spaces and &'-. it keeps.
func cleanName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" &'-", r) {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// cleanValue trims the stray marks OCR leaves after a value ("M. Garcia ©").
func cleanValue(s string) string {
	return strings.TrimRightFunc(strings.TrimSpace(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(".)]", r)
	})
}
