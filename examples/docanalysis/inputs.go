package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/chorus-go/chorus/retrieval/loader"
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
			if ent.IsDir() || !readable(ext) {
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

// textExts are the file types read as text: plain, Markdown and HTML
// (its main content).
var textExts = []string{".txt", ".md", ".markdown", ".html", ".htm"}

// readable reports whether a file type is analysed.
func readable(ext string) bool {
	return ext == ".pdf" || slices.Contains(textExts, ext) || slices.Contains(imageExts, ext)
}

// readInput reads one file: a .txt file as text, a .pdf file as a PDF,
// anything else as an image.
func readInput(name string) (Input, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return Input{}, err
	}
	in, err := decodeInput(name, b)
	if err != nil {
		return Input{}, err
	}
	sum := sha256.Sum256(b)
	in.hash = hex.EncodeToString(sum[:])
	return in, nil
}

// decodeInput makes an input of a file's content, by its extension.
func decodeInput(name string, b []byte) (Input, error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".txt":
		return Input{Name: name, Text: string(b)}, nil
	case ".md", ".markdown", ".html", ".htm":
		docs, err := loader.DefaultLoaders()[ext].Load(context.Background(), name, bytes.NewReader(b))
		if err != nil {
			return Input{}, err
		}
		var text []string
		for _, d := range docs {
			text = append(text, d.Text)
		}
		return Input{Name: name, Text: strings.Join(text, "\n\n")}, nil
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
