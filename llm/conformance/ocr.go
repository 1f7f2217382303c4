package conformance

import (
	"context"
	"fmt"
	"image"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// TestOCR checks an OCR engine: it reads each case's image and finds the
// wanted text, checks the result's structure (confidences in [0, 1],
// words with text), refuses unsupported images with
// llm.ErrUnsupportedImage, honours cancellation and is safe for
// concurrent use. It needs at least one case.
func TestOCR(t *testing.T, ocr llm.OCR, cases []OCRCase, opts ...Option) {
	t.Helper()
	if ocr == nil {
		t.Fatal("conformance.TestOCR: nil OCR")
	}
	if len(cases) == 0 {
		t.Fatal("conformance.TestOCR: no cases")
	}
	cfg := newConfig(opts)
	for i := range cases {
		if cases[i].Name == "" {
			cases[i].Name = fmt.Sprintf("case%d", i)
		}
	}
	t.Run("Describe", func(t *testing.T) {
		if _, ok := ocr.(chain.Describer); !ok {
			t.Skipf("%T does not implement chain.Describer; graphs will show its Go type", ocr)
		}
		checkDescribe(t, ocr, "")
	})
	t.Run("Read", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.Name, func(t *testing.T) {
				res, err := ocr.Recognize(callContext(t), tc.Image)
				if err != nil {
					t.Fatalf("Recognize: %v", err)
				}
				checkOCRResult(t, tc, res)
			})
		}
	})
	t.Run("UnsupportedImage", func(t *testing.T) {
		data := cases[0].Image.Data
		for _, img := range []llm.Image{
			{MIMEType: "application/pdf", Data: data},
			{MIMEType: "text/plain", Data: []byte("INVOICE total 12.00")},
			{MIMEType: "", Data: data},
			{MIMEType: "image/png", Data: nil},
		} {
			name := img.MIMEType
			if name == "" {
				name = "no type"
			}
			if img.Data == nil {
				name = "empty image"
			}
			t.Run(name, func(t *testing.T) {
				_, err := ocr.Recognize(callContext(t), img)
				if !matches(err, llm.ErrUnsupportedImage) {
					t.Errorf("Recognize(%q, %d bytes) error = %v, want one matching llm.ErrUnsupportedImage", img.MIMEType, len(img.Data), err)
				}
			})
		}
	})
	t.Run("Cancel", func(t *testing.T) {
		t.Run("already_cancelled", func(t *testing.T) {
			checkCancelled(t, cfg, nil, func(ctx context.Context) error {
				<-ctx.Done()
				_, err := ocr.Recognize(ctx, cases[0].Image)
				return err
			})
		})
		t.Run("during", func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := ocr.Recognize(ctx, cases[0].Image)
				done <- err
			}()
			time.Sleep(20 * time.Millisecond)
			cancel()
			err := waitDone(t, done, cfg.cancelWithin, "cancelling its context")
			if err != nil && !matches(err, context.Canceled) {
				t.Errorf("error %v after cancel does not match context.Canceled (errors.Is)", err)
			}
			goleak.VerifyNone(t, ignore)
		})
	})
	t.Run("Concurrent", func(t *testing.T) {
		ctx := callContext(t)
		var wg sync.WaitGroup
		results := make([]llm.OCRResult, cfg.concurrency)
		errs := make([]error, cfg.concurrency)
		for i := range cfg.concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = ocr.Recognize(ctx, cases[i%len(cases)].Image)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			tc := cases[i%len(cases)]
			if err != nil {
				t.Errorf("call %d (%s): %v", i, tc.Name, err)
				continue
			}
			for _, want := range tc.WantContains {
				if !looseContains(results[i].Text, want) {
					t.Errorf("call %d (%s): the text does not contain %q", i, tc.Name, want)
				}
			}
		}
	})
}

// checkOCRResult checks that res holds the case's text and is well formed.
func checkOCRResult(t *testing.T, tc OCRCase, res llm.OCRResult) {
	t.Helper()
	for _, want := range tc.WantContains {
		if !looseContains(res.Text, want) {
			t.Errorf("the text does not contain %q; it reads:\n%s", want, res.Text)
		}
	}
	if res.Confidence < 0 || res.Confidence > 1 {
		t.Errorf("Confidence = %v, not in [0, 1]", res.Confidence)
	}
	for i, w := range res.Words {
		if w.Text == "" {
			t.Errorf("word %d has no text", i)
		}
		if w.Confidence < 0 || w.Confidence > 1 {
			t.Errorf("word %d (%q) has confidence %v, not in [0, 1]", i, w.Text, w.Confidence)
		}
		if w.Box != (image.Rectangle{}) && w.Box.Empty() {
			t.Errorf("word %d (%q) has an empty box %v", i, w.Text, w.Box)
		}
	}
	t.Logf("%d words, confidence %.2f", len(res.Words), res.Confidence)
}
