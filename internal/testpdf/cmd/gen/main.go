// Command gen writes the sample PDFs of package testpdf:
//
//	go run ./internal/testpdf/cmd/gen -out retrieval/pdf/testdata
//
// retrieval/pdf runs it through go generate.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chorus-go/chorus/internal/testpdf"
)

func main() {
	out := flag.String("out", "testdata", "directory to write the PDFs to")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	for _, s := range testpdf.Samples() {
		data := s.PDF()
		path := filepath.Join(*out, s.Name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d bytes\n", path, len(data))
	}
}
