package visionocr

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// DefaultPrompt is the instruction sent with each image unless WithPrompt
// replaces it.
const DefaultPrompt = "Transcribe all the text in this image exactly as it is written: every word, number and " +
	"punctuation mark, in reading order, keeping the line breaks and separating paragraphs or blocks with a " +
	"blank line. Do not correct, translate, summarise or explain anything, and do not add any text of your own " +
	"or wrap the transcription in quotes or code fences. If the image holds no text, reply with nothing."

// ErrTruncated is returned, with the partial text, when the model stopped
// because it reached its token limit (finish reason "length").
var ErrTruncated = errors.New("visionocr: transcription cut short by the model's token limit")

// OCR is an llm.OCR that asks a vision-capable chat model to transcribe
// images. It is safe for concurrent use if the model is.
type OCR struct {
	model  llm.ChatModel
	prompt string
	system string
	opts   llm.Options
}

// OCR implements llm.OCR.
var _ llm.OCR = (*OCR)(nil)

// Option sets an optional setting of New.
type Option func(*OCR) error

// WithPrompt replaces DefaultPrompt, the instruction sent in the user
// message with the image.
func WithPrompt(prompt string) Option {
	return func(o *OCR) error {
		if strings.TrimSpace(prompt) == "" {
			return errors.New("visionocr: WithPrompt: empty prompt")
		}
		o.prompt = prompt
		return nil
	}
}

// WithSystem adds a system message before the image (none by default).
func WithSystem(prompt string) Option {
	return func(o *OCR) error {
		o.system = prompt
		return nil
	}
}

// WithOptions sets the generation options sent with each request (an
// error of New if llm.Options.Validate refuses them). The
// default is temperature 0 (a transcription should not be creative) and
// the model's own token limit.
func WithOptions(opts llm.Options) Option {
	return func(o *OCR) error {
		if err := opts.Validate(); err != nil {
			return fmt.Errorf("visionocr: WithOptions: %w", err)
		}
		o.opts = opts
		return nil
	}
}

// New returns an OCR that transcribes with model. A nil model (an error
// matching llm.ErrNilModel) and an invalid option are errors matching
// chain.ErrConfig.
func New(model llm.ChatModel, opts ...Option) (*OCR, error) {
	if model == nil {
		return nil, fmt.Errorf("visionocr: %w: %w", chain.ErrConfig, llm.ErrNilModel)
	}
	zero := 0.0
	o := &OCR{model: model, prompt: DefaultPrompt, opts: llm.Options{Temperature: &zero}}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(o); err != nil {
			return nil, fmt.Errorf("%w: %w", chain.ErrConfig, err)
		}
	}
	return o, nil
}

// MustNew is New that panics with New's error instead of returning it.
func MustNew(model llm.ChatModel, opts ...Option) *OCR {
	o, err := New(model, opts...)
	if err != nil {
		panic(err)
	}
	return o
}

// Recognize sends img to the model and returns its transcription as the
// result's Text (no words, Confidence 0). An image the models do not take
// (type, or no data) is refused before sending with an error wrapping
// llm.ErrUnsupportedImage; the model's error is returned wrapped; a reply
// cut by the token limit returns the partial text with ErrTruncated.
func (o *OCR) Recognize(ctx context.Context, img llm.Image) (llm.OCRResult, error) {
	req := llm.Request{Messages: []llm.Message{llm.User(o.prompt, img)}, Options: o.opts}
	if o.system != "" {
		req.Messages = append([]llm.Message{llm.System(o.system)}, req.Messages...)
	}
	if err := req.Validate(); err != nil {
		return llm.OCRResult{}, fmt.Errorf("visionocr: %w", err)
	}
	resp, err := llm.Chat(ctx, o.model, req)
	if err != nil {
		return llm.OCRResult{}, fmt.Errorf("visionocr: %s: %w", o.modelName(), err)
	}
	res := llm.OCRResult{Text: Clean(resp.Text())}
	if resp.FinishReason == "length" {
		return res, fmt.Errorf("%w (%s)", ErrTruncated, o.modelName())
	}
	return res, nil
}

// Describe reports an "ocr" node named "visionocr" around the model's own
// node.
func (o *OCR) Describe() chain.Node {
	return chain.Node{Kind: "ocr", Name: "visionocr", Children: []chain.Node{chain.Describe(o.model)}}
}

func (o *OCR) modelName() string { return chain.Describe(o.model).Name }

// Clean tidies a model's transcription: Windows line ends become "\n",
// a reply wrapped whole in a Markdown code fence is unwrapped, trailing
// spaces are cut from every line, runs of blank lines become one, and
// blank lines at the start and end go.
func Clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimSpace(s)
	if body, ok := unfence(s); ok {
		s = body
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\r")
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// unfence returns the body of s if s is one Markdown code block
// ("```" or "```text" on the first line, "```" on the last).
func unfence(s string) (string, bool) {
	if !strings.HasPrefix(s, "```") || !strings.HasSuffix(s, "```") || len(s) < 6 {
		return "", false
	}
	first, rest, ok := strings.Cut(s, "\n")
	if !ok || strings.ContainsAny(strings.TrimPrefix(first, "```"), " `") {
		return "", false
	}
	body := strings.TrimSuffix(rest, "```")
	if strings.Contains(body, "```") {
		return "", false // several blocks: leave as is
	}
	return body, true
}
