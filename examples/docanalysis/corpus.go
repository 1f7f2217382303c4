package main

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/testimages"
	"github.com/chorus-go/chorus/internal/testpdf"
)

// corpusKinds are the formats of a generated corpus, in turn: a text,
// Markdown, HTML, a PDF with a text layer, a scanned PDF and a PNG scan.
var corpusKinds = []string{"txt", "md", "html", "pdf", "scan.pdf", "png"}

// corpusCompanies are the customers of the generated invoices.
var corpusCompanies = []string{"Acme Widgets Ltd", "Blue Harbor Trading Ltd", "Contoso Foods BV", "Delta Marine SA", "Evergreen Tools GmbH", "Fjord Logistics AS", "Granite Works Inc", "Helios Solar SpA"}

// corpusInvoice is the i-th invoice of a generated corpus: its number,
// date, customer and total differ from every other's.
func corpusInvoice(i int) []string {
	cents := 10000 + i*733%900000
	total := fmt.Sprintf("%d.%02d", cents/100, cents%100)
	return []string{
		"# INVOICE",
		"Northwind Supplies GmbH, Hafenstrasse 7, 20457 Hamburg",
		"",
		fmt.Sprintf("Invoice number: INV-%05d", 10000+i),
		fmt.Sprintf("Date: 2026-%02d-%02d", 1+i%12, 1+i%28),
		"Bill to: " + corpusCompanies[i%len(corpusCompanies)],
		"",
		fmt.Sprintf("Consulting services, order %d\t%s", i, total),
		"",
		fmt.Sprintf("Total due: %s EUR", total),
		"Payment within 30 days to IBAN DE44 5001 0517 5407 3249 31",
	}
}

// corpusFile is the name and content of the i-th document of a corpus.
func corpusFile(i int) (string, []byte, error) {
	kind := corpusKinds[i%len(corpusKinds)]
	lines := corpusInvoice(i)
	name := fmt.Sprintf("doc-%05d.%s", i, kind)
	plain := func() string {
		var b strings.Builder
		for _, l := range lines {
			b.WriteString(strings.ReplaceAll(strings.TrimPrefix(l, "# "), "\t", "   ") + "\n")
		}
		return b.String()
	}
	switch kind {
	case "txt":
		return name, []byte(plain()), nil
	case "md":
		var b strings.Builder
		for _, l := range lines {
			b.WriteString(strings.ReplaceAll(l, "\t", "   ") + "\n\n")
		}
		return name, []byte(b.String()), nil
	case "html":
		var b strings.Builder
		b.WriteString("<!doctype html><html><head><title>Invoice</title></head><body><article>\n")
		for _, l := range lines {
			if h, ok := strings.CutPrefix(l, "# "); ok {
				fmt.Fprintf(&b, "<h1>%s</h1>\n", html.EscapeString(h))
			} else if l != "" {
				fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(strings.ReplaceAll(l, "\t", "   ")))
			}
		}
		b.WriteString("</article></body></html>\n")
		return name, []byte(b.String()), nil
	case "pdf":
		text := make([]string, len(lines))
		for i, l := range lines {
			text[i] = strings.ReplaceAll(l, "\t", "   ")
		}
		return name, testpdf.Build([]testpdf.Page{{Lines: text}}), nil
	case "scan.pdf":
		img := testimages.Render(lines, testimages.Options{DPI: 150})
		return name, testpdf.Build([]testpdf.Page{{Image: img, DPI: 150}}), nil
	}
	img := testimages.Render(lines, testimages.Options{DPI: 150})
	b, err := testimages.EncodePNG(img)
	return name, b, err
}

// generateCorpus writes n documents into dir (created if need be):
// invoices in turn as .txt, .md, .html, text PDF, scanned PDF and PNG,
// each with its own number, date, customer and total. The files are a
// pure function of n; the scans are rendered on every core.
func generateCorpus(ctx context.Context, dir string, n int) error {
	if n < 1 {
		return fmt.Errorf("docanalysis: -n %d: %w", n, chain.ErrConfig)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	write := chain.Fn(func(ctx context.Context, i int) (struct{}, error) {
		name, data, err := corpusFile(i)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, os.WriteFile(filepath.Join(dir, name), data, 0o644)
	})
	_, err := chain.Map(write, chain.Limit(runtime.GOMAXPROCS(0))).Run(ctx, idx)
	return err
}
