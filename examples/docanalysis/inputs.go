package main

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// imageExts are the file types read with OCR; .txt files are read as text.
var imageExts = []string{".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp"}

// loadInputs reads the documents named on the command line: image files,
// .txt and .pdf files, and the images, .txt and .pdf files of folders.
// With none, the bundled samples.
func loadInputs(args []string) ([]Input, error) {
	if len(args) == 0 {
		return bundledInputs()
	}
	var out []Input
	for _, arg := range args {
		fi, err := os.Stat(arg)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			in, err := readInput(arg)
			if err != nil {
				return nil, err
			}
			out = append(out, in)
			continue
		}
		entries, err := os.ReadDir(arg)
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, ent := range entries {
			ext := strings.ToLower(filepath.Ext(ent.Name()))
			if ent.IsDir() || (ext != ".txt" && ext != ".pdf" && !slices.Contains(imageExts, ext)) {
				continue
			}
			in, err := readInput(filepath.Join(arg, ent.Name()))
			if err != nil {
				return nil, err
			}
			out = append(out, in)
		}
		if len(out) == n {
			return nil, fmt.Errorf("%s: no images, .txt or .pdf files", arg)
		}
	}
	return out, nil
}

// readInput reads one file: a .txt file as text, a .pdf file as a PDF,
// anything else as an image.
func readInput(name string) (Input, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return Input{}, err
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt":
		return Input{Name: name, Text: string(b)}, nil
	case ".pdf":
		return Input{Name: name, PDF: b}, nil
	}
	return Input{Name: name, Image: b}, nil
}

// bundledInputs returns the sample images and PDFs compiled into the
// program.
func bundledInputs() ([]Input, error) {
	names, err := fs.Glob(samples, "testdata/*.png")
	if err != nil {
		return nil, err
	}
	pdfs, err := fs.Glob(samples, "testdata/*.pdf")
	if err != nil {
		return nil, err
	}
	names = append(names, pdfs...)
	sort.Strings(names)
	var out []Input
	for _, n := range names {
		b, err := samples.ReadFile(n)
		if err != nil {
			return nil, err
		}
		in := Input{Name: path.Base(n), Image: b}
		if strings.HasSuffix(n, ".pdf") {
			in = Input{Name: path.Base(n), PDF: b}
		}
		out = append(out, in)
	}
	return out, nil
}
