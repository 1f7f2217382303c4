package tesseract_test

import (
	"errors"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/tesseract"
)

const tsvHeader = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"

func TestParseTSV(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		want llm.OCRResult
	}{
		{"empty input", "", llm.OCRResult{}},
		{"header only", tsvHeader, llm.OCRResult{}},
		{"page without words", tsvHeader + "1\t1\t0\t0\t0\t0\t0\t0\t640\t480\t-1\t\n", llm.OCRResult{}},
		{
			"lines, paragraphs and blocks",
			tsvHeader +
				"1\t1\t0\t0\t0\t0\t0\t0\t640\t480\t-1\t\n" +
				"2\t1\t1\t0\t0\t0\t10\t10\t200\t100\t-1\t\n" +
				"5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t96\tHello\n" +
				"5\t1\t1\t1\t1\t2\t70\t10\t50\t20\t90\tworld\n" +
				"5\t1\t1\t1\t2\t1\t10\t40\t50\t20\t80\tsecond\n" +
				"5\t1\t1\t2\t1\t1\t10\t80\t50\t20\t100\tpara\n" +
				"5\t1\t2\t1\t1\t1\t10\t120\t50\t20\t0\tblock\n",
			llm.OCRResult{
				Text: "Hello world\nsecond\n\npara\n\nblock",
				Words: []llm.Word{
					{Text: "Hello", Box: image.Rect(10, 10, 60, 30), Confidence: 0.96, Block: 1, Paragraph: 1, Line: 1},
					{Text: "world", Box: image.Rect(70, 10, 120, 30), Confidence: 0.90, Block: 1, Paragraph: 1, Line: 1},
					{Text: "second", Box: image.Rect(10, 40, 60, 60), Confidence: 0.80, Block: 1, Paragraph: 1, Line: 2},
					{Text: "para", Box: image.Rect(10, 80, 60, 100), Confidence: 1, Block: 1, Paragraph: 2, Line: 1},
					{Text: "block", Box: image.Rect(10, 120, 60, 140), Confidence: 0, Block: 2, Paragraph: 1, Line: 1},
				},
				Confidence: (0.96 + 0.90 + 0.80 + 1 + 0) / 5,
			},
		},
		{
			"blank words skipped, CRLF, odd confidences clamped",
			tsvHeader +
				"5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t-1\t \r\n" +
				"5\t1\t1\t1\t1\t2\t0\t0\t5\t5\t250\ta\r\n" +
				"5\t1\t1\t1\t1\t3\t6\t0\t5\t5\tNaN\tb\r\n" +
				"5\t1\t1\t1\t1\t4\t12\t0\t5\t5\t-1\tc\r\n",
			llm.OCRResult{
				Text: "a b c",
				Words: []llm.Word{
					{Text: "a", Box: image.Rect(0, 0, 5, 5), Confidence: 1, Block: 1, Paragraph: 1, Line: 1},
					{Text: "b", Box: image.Rect(6, 0, 11, 5), Confidence: 0, Block: 1, Paragraph: 1, Line: 1},
					{Text: "c", Box: image.Rect(12, 0, 17, 5), Confidence: 0, Block: 1, Paragraph: 1, Line: 1},
				},
				Confidence: 1.0 / 3,
			},
		},
		{
			"columns in another order, an extra column",
			"text\tconf\theight\twidth\ttop\tleft\tline_num\tpar_num\tblock_num\tpage_num\tlevel\tfont\n" +
				"Hi\t50\t2\t3\t4\t5\t1\t1\t1\t1\t5\tGo\n",
			llm.OCRResult{
				Text:       "Hi",
				Words:      []llm.Word{{Text: "Hi", Box: image.Rect(5, 4, 8, 6), Confidence: 0.5, Block: 1, Paragraph: 1, Line: 1}},
				Confidence: 0.5,
			},
		},
		{
			"a tab inside the last column",
			tsvHeader + "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t90\ta\tb\n",
			llm.OCRResult{
				Text:       "a\tb",
				Words:      []llm.Word{{Text: "a\tb", Box: image.Rect(0, 0, 5, 5), Confidence: 0.9, Block: 1, Paragraph: 1, Line: 1}},
				Confidence: 0.9,
			},
		},
		{
			"a new page starts a new paragraph",
			tsvHeader +
				"5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t90\tone\n" +
				"5\t2\t1\t1\t1\t1\t0\t0\t5\t5\t90\ttwo\n",
			llm.OCRResult{
				Text: "one\n\ntwo",
				Words: []llm.Word{
					{Text: "one", Box: image.Rect(0, 0, 5, 5), Confidence: 0.9, Block: 1, Paragraph: 1, Line: 1},
					{Text: "two", Box: image.Rect(0, 0, 5, 5), Confidence: 0.9, Block: 1, Paragraph: 1, Line: 1},
				},
				Confidence: 0.9,
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := tesseract.ParseTSV([]byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-9 })); diff != "" {
				t.Errorf("ParseTSV (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTSVErrors(t *testing.T) {
	for name, in := range map[string]string{
		"no header":         "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t90\tword\n",
		"missing column":    "level\tpage_num\ttext\n5\t1\tword\n",
		"short row":         tsvHeader + "5\t1\t1\t1\n",
		"level not number":  tsvHeader + "x\t1\t1\t1\t1\t1\t0\t0\t5\t5\t90\tword\n",
		"left not number":   tsvHeader + "5\t1\t1\t1\t1\t1\tx\t0\t5\t5\t90\tword\n",
		"conf not number":   tsvHeader + "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\thigh\tword\n",
		"negative width":    tsvHeader + "5\t1\t1\t1\t1\t1\t0\t0\t-5\t5\t90\tword\n",
		"huge coordinate":   tsvHeader + "5\t1\t1\t1\t1\t1\t9223372036854775807\t0\t5\t5\t90\tword\n",
		"overflowing int":   tsvHeader + "5\t1\t1\t1\t1\t1\t99999999999999999999\t0\t5\t5\t90\tword\n",
		"tesseract's error": "Error in pixReadMem: size < 12\n",
	} {
		if _, err := tesseract.ParseTSV([]byte(in)); !errors.Is(err, tesseract.ErrBadTSV) {
			t.Errorf("%s: err = %v, want ErrBadTSV", name, err)
		}
	}
}

// TestParseTSVInvoice parses tesseract's real output for invoice.png,
// kept in testdata/invoice.tsv, so the parser is checked without
// tesseract.
func TestParseTSVInvoice(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "invoice.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tesseract.ParseTSV(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := cer(readTruth(t, "invoice"), res.Text); got != 0 {
		t.Errorf("CER %v; text:\n%s", got, res.Text)
	}
	if !strings.HasPrefix(res.Text, "INVOICE\n\n") {
		t.Errorf("text starts %q, want the heading as its own block", res.Text[:min(len(res.Text), 20)])
	}
}

func FuzzParseTSV(f *testing.F) {
	real, err := os.ReadFile(filepath.Join("testdata", "invoice.tsv"))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(real),
		string(real[:len(real)/2]),
		"",
		tsvHeader,
		tsvHeader + "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t90\tword\n",
		tsvHeader + "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t-1\t\n",
		tsvHeader + "5\t1\t1\t1\t1\t1\t-16777216\t16777216\t0\t16777216\t1e308\t\xff\xfe\n",
		tsvHeader + "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\tNaN\ta\tb\tc\n",
		"level\ttext\n5\tx\n",
		"text\tconf\theight\twidth\ttop\tleft\tline_num\tpar_num\tblock_num\tpage_num\tlevel\n\t\t\t\t\t\t\t\t\t\t5\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := tesseract.ParseTSV(data)
		if err != nil {
			if !errors.Is(err, tesseract.ErrBadTSV) {
				t.Fatalf("error %v does not match ErrBadTSV", err)
			}
			return
		}
		if res.Confidence < 0 || res.Confidence > 1 || math.IsNaN(res.Confidence) {
			t.Fatalf("mean confidence %v", res.Confidence)
		}
		if !utf8.ValidString(res.Text) {
			t.Fatalf("text is not valid UTF-8: %q", res.Text)
		}
		for _, w := range res.Words {
			if w.Text == "" || strings.TrimSpace(w.Text) != w.Text || !utf8.ValidString(w.Text) {
				t.Fatalf("bad word text %q", w.Text)
			}
			if w.Confidence < 0 || w.Confidence > 1 || math.IsNaN(w.Confidence) {
				t.Fatalf("word %q: confidence %v", w.Text, w.Confidence)
			}
			if w.Box != w.Box.Canon() {
				t.Fatalf("word %q: box %v not canonical", w.Text, w.Box)
			}
			if !strings.Contains(res.Text, w.Text) {
				t.Fatalf("word %q missing from the text", w.Text)
			}
		}
		if len(res.Words) == 0 && res.Text != "" {
			t.Fatalf("text %q without words", res.Text)
		}
	})
}
