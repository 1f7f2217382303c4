package doctype

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// training holds the bundled training texts, compiled in so that the
// programs run from any directory.
//
//go:embed testdata/train/*.txt
var training embed.FS

// Example is one labelled training text.
type Example struct {
	Label Type
	Text  string
}

// Training returns the bundled training texts: six of each type.
func Training() ([]Example, error) { return LoadExamples(training, "testdata/train") }

// LoadExamples reads training texts from files named LABEL-anything.txt
// in dir of fsys. Every label must be one of All.
func LoadExamples(fsys fs.FS, dir string) ([]Example, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no training texts (LABEL-name.txt) in %s", dir)
	}
	var out []Example
	for _, name := range names {
		label, _, ok := strings.Cut(path.Base(name), "-")
		if !ok || !slices.Contains(All(), Type(label)) {
			return nil, fmt.Errorf("training text %s: name must start with a document type (%v) and a dash", name, All())
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, Example{Label: Type(label), Text: string(b)})
	}
	return out, nil
}
