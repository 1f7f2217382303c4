package main

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain/eval"
)

// parsedSVG is what a test reads of an SVG file: its elements and the
// text of its <text> elements.
type parsedSVG struct {
	elems []xml.StartElement
	texts []string
}

// readSVG decodes an SVG file as XML, failing the test unless it is
// well-formed with an <svg> root in the SVG namespace.
func readSVG(t *testing.T, path string) parsedSVG {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parseSVG(t, string(b))
}

func parseSVG(t *testing.T, doc string) parsedSVG {
	t.Helper()
	var p parsedSVG
	d := xml.NewDecoder(strings.NewReader(doc))
	inText := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			p.elems = append(p.elems, tok.Copy())
			if tok.Name.Local == "text" {
				inText = true
				p.texts = append(p.texts, "")
			}
		case xml.EndElement:
			inText = inText && tok.Name.Local != "text"
		case xml.CharData:
			if inText {
				p.texts[len(p.texts)-1] += string(tok)
			}
		}
	}
	if len(p.elems) == 0 || p.elems[0].Name.Local != "svg" || p.elems[0].Name.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("the root is not an SVG element: %v", p.elems[:min(1, len(p.elems))])
	}
	return p
}

// find returns the elements called name whose class holds class.
func (p parsedSVG) find(name, class string) []xml.StartElement {
	var out []xml.StartElement
	for _, e := range p.elems {
		if e.Name.Local == name && slices.Contains(strings.Fields(attr(e, "class")), class) {
			out = append(out, e)
		}
	}
	return out
}

func (p parsedSVG) count(name, class string) int { return len(p.find(name, class)) }

// attr returns an attribute of the first element called name of class.
func (p parsedSVG) attr(name, class, key string) string {
	if es := p.find(name, class); len(es) > 0 {
		return attr(es[0], key)
	}
	return ""
}

func attr(e xml.StartElement, key string) string {
	for _, a := range e.Attr {
		if a.Name.Local == key {
			return a.Value
		}
	}
	return ""
}

func (p parsedSVG) hasText(s string) bool { return slices.Contains(p.texts, s) }

func (p parsedSVG) containsText(s string) bool {
	return slices.ContainsFunc(p.texts, func(t string) bool { return strings.Contains(t, s) })
}

// Tied scores make one diagonal step, and the area is the AUC with ties
// counting one half.
func TestCurve(t *testing.T) {
	scores := []float64{0.1, 0.8, 0.9, 0.8, 0.3}
	positive := []bool{false, false, true, true, true}
	r := curve(scores, positive)
	want := []Point{{0, 0}, {0, 1.0 / 3}, {0.5, 2.0 / 3}, {0.5, 1}, {1, 1}}
	if len(r.Points) != len(want) || r.Positives != 3 || r.Negatives != 2 {
		t.Fatalf("curve %+v", r)
	}
	for i, p := range r.Points {
		if math.Abs(p.FPR-want[i].FPR) > 1e-12 || math.Abs(p.TPR-want[i].TPR) > 1e-12 {
			t.Errorf("point %d: %+v, want %+v", i, p, want[i])
		}
	}
	auc, _ := eval.AUC(scores, positive)
	if math.Abs(r.Area()-auc) > 1e-12 {
		t.Errorf("area %v, AUC %v", r.Area(), auc)
	}
}

// A matrix with failures gets a "no answer" column; names are escaped.
func TestConfusionSVG(t *testing.T) {
	c := eval.Confusion{
		Labels: []string{"a<b", "c"},
		Counts: [][]int{{3, 1}, {0, 4}},
		Errors: []int{0, 2},
	}
	p := parseSVG(t, confusionSVG(`"quoted" & co`, c))
	if n := p.count("rect", "cell"); n != 6 {
		t.Errorf("%d cells, want 6", n)
	}
	for _, want := range []string{"a<b", "no answer", `"quoted" & co`, "4", "2"} {
		if !p.hasText(want) {
			t.Errorf("no text %q in %v", want, p.texts)
		}
	}
}
