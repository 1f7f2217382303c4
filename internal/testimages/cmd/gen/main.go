// Command gen writes the test documents of package testimages as PNG
// files, with their ground truth text beside them (NAME.png and
// NAME.gt.txt):
//
//	go run ./internal/testimages/cmd/gen -out llm/tesseract/testdata
//
// llm/tesseract runs it through go generate.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chorus-go/chorus/internal/testimages"
)

func main() {
	out := flag.String("out", "testdata", "directory to write the images to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, d := range testimages.Documents() {
		data, err := d.PNG()
		if err != nil {
			return fmt.Errorf("%s: %w", d.Name, err)
		}
		png := filepath.Join(dir, d.Name+".png")
		if err := os.WriteFile(png, data, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, d.Name+".gt.txt"), []byte(d.Text()+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d bytes\n", png, len(data))
	}
	return nil
}
