package visionocr_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/llm/visionocr"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func invoicePNG(t *testing.T) llm.Image {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "tesseract", "testdata", "invoice.png"))
	if err != nil {
		t.Fatal(err)
	}
	return llm.Image{MIMEType: "image/png", Data: data}
}

func TestRecognizeSendsImage(t *testing.T) {
	model := llmtest.NewModel("vision", llmtest.Text("```text\r\nINVOICE\r\n\r\n\r\nTotal due: 1,234.50 EUR  \r\n```"))
	ocr, err := visionocr.New(model)
	if err != nil {
		t.Fatal(err)
	}
	img := invoicePNG(t)
	res, err := ocr.Recognize(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	if want := "INVOICE\n\nTotal due: 1,234.50 EUR"; res.Text != want {
		t.Errorf("Text = %q, want %q", res.Text, want)
	}
	if res.Words != nil || res.Confidence != 0 {
		t.Errorf("words %v, confidence %v: want none and 0", res.Words, res.Confidence)
	}

	reqs := model.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	req := reqs[0]
	if len(req.Messages) != 1 || req.Messages[0].Role != llm.RoleUser {
		t.Fatalf("messages = %+v, want one user message", req.Messages)
	}
	if got := req.Messages[0].Text(); got != visionocr.DefaultPrompt {
		t.Errorf("prompt = %q", got)
	}
	images := req.Messages[0].Images()
	if len(images) != 1 || images[0].MIMEType != "image/png" || !bytes.Equal(images[0].Data, img.Data) {
		t.Fatalf("the image was not sent as image/png with its bytes: %d images", len(images))
	}
	if req.Temperature == nil || *req.Temperature != 0 {
		t.Errorf("temperature %v, want 0", req.Temperature)
	}
}

func TestPromptAndSystem(t *testing.T) {
	model := llmtest.NewModel("vision", llmtest.Text("Hallo"))
	seven := 0.7
	ocr, err := visionocr.New(model,
		visionocr.WithPrompt("Lies den Text."),
		visionocr.WithSystem("Du bist ein Archivar."),
		visionocr.WithOptions(llm.Options{Temperature: &seven, MaxTokens: 500}),
	)
	if err != nil {
		t.Fatal(err)
	}
	img := llm.Image{MIMEType: "image/jpeg", Data: []byte("\xff\xd8\xff jpeg")}
	if _, err := ocr.Recognize(context.Background(), img); err != nil {
		t.Fatal(err)
	}
	req := model.Requests()[0]
	if len(req.Messages) != 2 || req.Messages[0].Role != llm.RoleSystem || req.Messages[0].Text() != "Du bist ein Archivar." {
		t.Fatalf("messages = %+v", req.Messages)
	}
	if req.Messages[1].Text() != "Lies den Text." || req.Messages[1].Images()[0].MIMEType != "image/jpeg" {
		t.Errorf("user message = %+v", req.Messages[1])
	}
	if *req.Temperature != 0.7 || req.MaxTokens != 500 {
		t.Errorf("options = %+v", req.Options)
	}
}

func TestBadImagesNotSent(t *testing.T) {
	model := llmtest.NewModel("vision").WithDefault(llmtest.Text("never"))
	ocr, err := visionocr.New(model)
	if err != nil {
		t.Fatal(err)
	}
	for name, img := range map[string]llm.Image{
		"svg":     {MIMEType: "image/svg+xml", Data: []byte("<svg/>")},
		"no type": {Data: []byte("\x89PNG\r\n\x1a\n")},
		"empty":   {MIMEType: "image/png"},
	} {
		if _, err := ocr.Recognize(context.Background(), img); !errors.Is(err, llm.ErrUnsupportedImage) {
			t.Errorf("%s: %v, want ErrUnsupportedImage", name, err)
		}
	}
	if n := len(model.Requests()); n != 0 {
		t.Errorf("the model was sent %d requests, want none", n)
	}
}

func TestModelErrors(t *testing.T) {
	model := llmtest.NewModel("vision",
		llmtest.Error(llmtest.StatusError(429)),
		llmtest.Error(errors.New("connection reset")),
	)
	ocr, err := visionocr.New(model)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ocr.Recognize(context.Background(), invoicePNG(t))
	var perr *llm.Error
	if !errors.Is(err, llm.ErrRateLimited) || !errors.As(err, &perr) || !chain.IsRetryable(err) {
		t.Errorf("err = %v, want the model's retryable *llm.Error", err)
	}
	if !strings.Contains(err.Error(), "llmtest:vision") {
		t.Errorf("err %q does not name the model", err)
	}
	if _, err := ocr.Recognize(context.Background(), invoicePNG(t)); err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("err = %v, want the model's error", err)
	}
}

func TestTruncated(t *testing.T) {
	model := llmtest.NewModel("vision", llmtest.Text("INVOICE\nInvoice num").WithFinishReason("length"))
	ocr, err := visionocr.New(model)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ocr.Recognize(context.Background(), invoicePNG(t))
	if !errors.Is(err, visionocr.ErrTruncated) || res.Text != "INVOICE\nInvoice num" {
		t.Errorf("got %q, %v: want the partial text and ErrTruncated", res.Text, err)
	}
}

func TestContext(t *testing.T) {
	model := llmtest.NewModel("vision", llmtest.Hang())
	ocr, err := visionocr.New(model)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := ocr.Recognize(ctx, invoicePNG(t)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := visionocr.New(nil); !errors.Is(err, llm.ErrNilModel) || !errors.Is(err, chain.ErrConfig) {
		t.Errorf("New(nil) = %v, want ErrNilModel and chain.ErrConfig", err)
	}
	m := llmtest.NewModel("vision")
	if _, err := visionocr.New(m, visionocr.WithPrompt("  ")); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("empty prompt: err = %v, want chain.ErrConfig", err)
	}
	if _, err := visionocr.New(m, visionocr.WithOptions(llm.Options{MaxTokens: -1})); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("negative MaxTokens: err = %v, want chain.ErrConfig", err)
	}
	if _, err := chain.Build(func() *visionocr.OCR { return visionocr.MustNew(nil) }); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("chain.Build(MustNew(nil)) = %v, want chain.ErrConfig", err)
	}
}

func TestDescribeAndChain(t *testing.T) {
	model := llmtest.NewModel("gpt", llmtest.Text("Dear Ms Smith,"))
	ocr, err := visionocr.New(model)
	if err != nil {
		t.Fatal(err)
	}
	n := ocr.Describe()
	if n.Kind != "ocr" || n.Name != "visionocr" || len(n.Children) != 1 || n.Children[0].Name != "llmtest:gpt" {
		t.Errorf("Describe() = %+v", n)
	}
	c := llm.OCRChain(ocr)
	if g := chain.Mermaid(c); !strings.Contains(g, "visionocr") || !strings.Contains(g, "llmtest:gpt") {
		t.Errorf("graph lacks the OCR or its model:\n%s", g)
	}
	text, err := c.Run(context.Background(), invoicePNG(t))
	if err != nil || text != "Dear Ms Smith," {
		t.Errorf("OCRChain: %q, %v", text, err)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "",
		"  \n\n ":                    "",
		"one\ntwo":                   "one\ntwo",
		"one  \r\ntwo\t":             "one\ntwo",
		"\n\na\n\n\n\nb\n\n":         "a\n\nb",
		"```\na\nb\n```":             "a\nb",
		"```text\na\n```":            "a",
		"```\na\n```\n\n```\nb\n```": "```\na\n```\n\n```\nb\n```",
		"```inline```":               "```inline```",
		"see ```code``` here":        "see ```code``` here",
	} {
		if got := visionocr.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
