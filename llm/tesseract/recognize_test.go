package tesseract_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/tesseract"
)

// The character error rates the tests demand; measured values are logged.
var maxCER = map[string]float64{
	"invoice":       0.01,
	"letter":        0.01,
	"receipt_noisy": 0.10,
}

func TestRecognizeTestdata(t *testing.T) {
	needTesseract(t)
	eng, err := tesseract.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"invoice", "receipt_noisy", "letter"} {
		t.Run(name, func(t *testing.T) {
			img := readImage(t, name)
			res, err := eng.Recognize(context.Background(), img)
			if err != nil {
				t.Fatal(err)
			}
			rate := cer(readTruth(t, name), res.Text)
			t.Logf("%s: CER %.4f, %d words, mean confidence %.3f", name, rate, len(res.Words), res.Confidence)
			if rate > maxCER[name] {
				t.Errorf("CER %.4f > %.2f; text:\n%s", rate, maxCER[name], res.Text)
			}
			checkWords(t, img, res)
		})
	}
}

// checkWords checks the structure of a result: boxes inside the image,
// reading order, confidences in [0, 1], text made of the words.
func checkWords(t *testing.T, img llm.Image, res llm.OCRResult) {
	t.Helper()
	cfg, err := png.DecodeConfig(bytes.NewReader(img.Data))
	if err != nil {
		t.Fatal(err)
	}
	bounds := image.Rect(0, 0, cfg.Width, cfg.Height)
	if len(res.Words) == 0 {
		t.Fatal("no words")
	}
	if res.Confidence <= 0 || res.Confidence > 1 {
		t.Errorf("mean confidence %v not in (0, 1]", res.Confidence)
	}
	var texts []string
	for i, w := range res.Words {
		texts = append(texts, w.Text)
		if w.Box.Empty() || !w.Box.In(bounds) {
			t.Errorf("word %d %q: box %v empty or outside %v", i, w.Text, w.Box, bounds)
		}
		if w.Confidence < 0 || w.Confidence > 1 {
			t.Errorf("word %d %q: confidence %v not in [0, 1]", i, w.Text, w.Confidence)
		}
		if i == 0 {
			continue
		}
		p := res.Words[i-1]
		prevKey := []int{p.Block, p.Paragraph, p.Line}
		key := []int{w.Block, w.Paragraph, w.Line}
		switch c := slices.Compare(prevKey, key); {
		case c > 0:
			t.Errorf("word %d %q (block/par/line %v) comes after %q (%v)", i, w.Text, key, p.Text, prevKey)
		case c == 0 && w.Box.Min.X <= p.Box.Min.X:
			t.Errorf("word %d %q at x=%d is left of the word before it, %q at x=%d, on the same line", i, w.Text, w.Box.Min.X, p.Text, p.Box.Min.X)
		case c < 0 && w.Box.Min.Y <= p.Box.Min.Y-p.Box.Dy()/2:
			// A single-column page reads top to bottom.
			t.Errorf("line of word %d %q (y=%d) starts above the previous line (y=%d)", i, w.Text, w.Box.Min.Y, p.Box.Min.Y)
		}
	}
	if got, want := strings.Join(strings.Fields(res.Text), " "), strings.Join(texts, " "); got != want {
		t.Errorf("text is not the words joined:\n%s\nvs\n%s", got, want)
	}
}

func TestInvoiceKeyLines(t *testing.T) {
	needTesseract(t)
	eng, err := tesseract.New()
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Recognize(context.Background(), readImage(t, "invoice"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(res.Text, "\n")
	for _, want := range []string{
		"INVOICE",
		"Invoice number: INV-2041",
		"Date: 2026-03-14",
		"Bill to: Acme Widgets Ltd",
		"Total due: 1,234.50 EUR",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("no line %q in:\n%s", want, res.Text)
		}
	}
	// Paragraphs are separated by blank lines.
	if !strings.Contains(res.Text, "\n\n") {
		t.Errorf("no blank line between paragraphs:\n%s", res.Text)
	}
	for _, w := range res.Words {
		if w.Text == "INV-2041" && w.Confidence < 0.8 {
			t.Errorf("INV-2041 read with confidence %.2f", w.Confidence)
		}
	}
}

func TestNoisyReceiptKeyFields(t *testing.T) {
	needTesseract(t)
	eng, err := tesseract.New()
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Recognize(context.Background(), readImage(t, "receipt_noisy"))
	if err != nil {
		t.Fatal(err)
	}
	var total string
	for _, l := range strings.Split(res.Text, "\n") {
		if strings.Contains(strings.ToUpper(l), "TOTAL") && !strings.Contains(strings.ToUpper(l), "SUB") {
			total = l
		}
	}
	if !strings.Contains(total, "22.66") {
		t.Errorf("total line %q lacks 22.66; text:\n%s", total, res.Text)
	}
	for _, want := range []string{"CORNER", "Springfield", "2026-03-14", "18.88", "3.78", "Coffee beans"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("%q not found in:\n%s", want, res.Text)
		}
	}
}

func TestConcurrentRecognize(t *testing.T) {
	needTesseract(t)
	eng, err := tesseract.New(tesseract.WithMaxConcurrency(2))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"invoice", "letter", "invoice", "letter", "invoice", "letter"}
	texts := make([]string, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		img := readImage(t, name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := eng.Recognize(context.Background(), img)
			texts[i], errs[i] = res.Text, err
		}()
	}
	wg.Wait()
	for i := range names {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if texts[i] != texts[i%2] {
			t.Errorf("call %d read %q, call %d read %q", i, texts[i], i%2, texts[i%2])
		}
	}
}

func TestLanguages(t *testing.T) {
	needTesseract(t)
	eng, err := tesseract.New()
	if err != nil {
		t.Fatal(err)
	}
	langs, err := eng.Languages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(langs, "eng") {
		t.Errorf("Languages() = %v, want eng among them", langs)
	}
}

func TestDescribe(t *testing.T) {
	needTesseract(t)
	eng, err := tesseract.New(tesseract.WithLanguages("eng", "deu"), tesseract.WithPageSegMode(tesseract.SingleBlock))
	if err != nil {
		t.Fatal(err)
	}
	n := eng.Describe()
	if n.Kind != "ocr" || n.Name != "tesseract:eng+deu" || n.Detail != "psm 6" {
		t.Errorf("Describe() = %+v", n)
	}
	eng, err = tesseract.New()
	if err != nil {
		t.Fatal(err)
	}
	if n := eng.Describe(); n.Kind != "ocr" || n.Name != "tesseract:eng" {
		t.Errorf("Describe() = %+v", n)
	}
}

func TestOCRChain(t *testing.T) {
	needTesseract(t)
	eng, err := tesseract.New()
	if err != nil {
		t.Fatal(err)
	}
	c := llm.OCRChain(eng)
	text, err := c.Run(context.Background(), readImage(t, "letter"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Dear Ms Smith,") || !strings.Contains(text, "Yours sincerely,") {
		t.Errorf("letter read as:\n%s", text)
	}
}
