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
// .txt files, and the images and .txt files of folders. With none, the
// bundled samples.
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
			if ent.IsDir() || (ext != ".txt" && !slices.Contains(imageExts, ext)) {
				continue
			}
			in, err := readInput(filepath.Join(arg, ent.Name()))
			if err != nil {
				return nil, err
			}
			out = append(out, in)
		}
		if len(out) == n {
			return nil, fmt.Errorf("%s: no images or .txt files", arg)
		}
	}
	return out, nil
}

// readInput reads one file: a .txt file as text, anything else as an
// image.
func readInput(name string) (Input, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return Input{}, err
	}
	if strings.EqualFold(filepath.Ext(name), ".txt") {
		return Input{Name: name, Text: string(b)}, nil
	}
	return Input{Name: name, Image: b}, nil
}

// bundledInputs returns the sample images compiled into the program.
func bundledInputs() ([]Input, error) {
	names, err := fs.Glob(samples, "testdata/*.png")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Input
	for _, n := range names {
		b, err := samples.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, Input{Name: path.Base(n), Image: b})
	}
	return out, nil
}
