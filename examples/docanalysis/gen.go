//go:build ignore

// Gen writes the sample documents of the docanalysis example under
// testdata: as PNG files, the invoice, receipt and letter of
// internal/testimages, lightly scanned (a slight turn, paper shading,
// blur and specks) when they are clean, and its contract and form; as
// PDF files (internal/testpdf), northwind.pdf, three pages with a text
// layer (an invoice, a letter, terms), and fax.pdf, two scanned pages
// without one (a fax cover sheet, then an invoice). Every file is a pure
// function of the code, so running it again gives the same bytes.
//
//	go generate ./examples/docanalysis
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chorus-go/chorus/internal/testimages"
	"github.com/chorus-go/chorus/internal/testpdf"
)

// maxSize is the largest sample the repository should hold.
const maxSize = 150 << 10

func main() {
	out := flag.String("out", "testdata", "directory to write the images to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	receipt := testimages.NoisyReceipt()
	receipt.Name = "receipt"
	docs := []testimages.Document{
		scanned(testimages.Invoice(), 0.5, 8),
		receipt,
		scanned(testimages.Letter(), -0.5, 5),
		testimages.Contract(),
		testimages.Form(),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, d := range docs {
		data, err := d.PNG()
		if err != nil {
			return fmt.Errorf("%s: %w", d.Name, err)
		}
		if len(data) > maxSize {
			return fmt.Errorf("%s: %d bytes, more than %d", d.Name, len(data), maxSize)
		}
		path := filepath.Join(dir, d.Name+".png")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d bytes\n", path, len(data))
	}
	return writePDFs(dir)
}

// faxCover is page 1 of fax.pdf: the invoice is on page 2.
var faxCover = []string{
	"# FAX",
	"To: Accounts Payable",
	"From: Billing Department",
	"Pages: 2 including this cover",
	"",
	"Please see the following page.",
}

// writePDFs writes the PDF samples.
func writePDFs(dir string) error {
	fax := []testpdf.Page{
		{Image: testimages.Render(faxCover, testimages.Options{}), DPI: 200},
		{Image: testimages.Invoice().Image(), DPI: 200},
	}
	for name, data := range map[string][]byte{
		"northwind.pdf": testpdf.Text().PDF(),
		"fax.pdf":       testpdf.Build(fax),
	} {
		if len(data) > maxSize {
			return fmt.Errorf("%s: %d bytes, more than %d", name, len(data), maxSize)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d bytes\n", path, len(data))
	}
	return nil
}

// scanned gives a clean document the look of a careful scan.
func scanned(d testimages.Document, degrees float64, seed uint64) testimages.Document {
	if d.Noise == nil {
		d.Rotate = degrees
		d.Noise = &testimages.Noise{Seed: seed, Paper: 0.12, Blur: 0.45, SaltPepper: 0.0015}
	}
	return d
}
