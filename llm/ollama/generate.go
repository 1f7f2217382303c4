package ollama

import (
	"context"
	"fmt"
	"iter"

	"github.com/ollama/ollama/api"

	"github.com/chorus-go/chorus/llm"
)

type generateConfig struct {
	system  string
	suffix  string
	raw     bool
	images  []llm.Image
	format  *llm.Format
	options llm.Options
}

type generateOption func(*generateConfig)

func (o generateOption) applyGenerate(c *generateConfig) { o(c) }

// WithSystem sets the system prompt of a completion, replacing the model's.
func WithSystem(text string) GenerateOption {
	return generateOption(func(c *generateConfig) { c.system = text })
}

// WithSuffix sets the text after the completion, for fill-in-the-middle
// with code models.
func WithSuffix(text string) GenerateOption {
	return generateOption(func(c *generateConfig) { c.suffix = text })
}

// WithRaw sends the prompt as it is, without the model's prompt template
// ("raw"): the prompt must then carry the model's own control tokens. It
// excludes WithSystem.
func WithRaw() GenerateOption {
	return generateOption(func(c *generateConfig) { c.raw = true })
}

// WithImages adds images for a multimodal model (PNG, JPEG, GIF or WebP).
func WithImages(images ...llm.Image) GenerateOption {
	return generateOption(func(c *generateConfig) { c.images = append(c.images, images...) })
}

// WithFormat asks for output of a shape, as llm.Request.Format does.
func WithFormat(f llm.Format) GenerateOption {
	return generateOption(func(c *generateConfig) { c.format = &f })
}

// Generate completes a prompt (/api/generate) and returns the whole answer,
// as Chat does (the usage is in the Response: Generate reports nothing to
// hooks). The generation options are WithOptions's, over New's. The prompt goes
// through the model's template unless WithRaw is given. Errors are Chat's.
func (m *Model) Generate(ctx context.Context, prompt string, opts ...GenerateOption) (llm.Response, error) {
	req, err := m.generateRequest(ctx, prompt, opts, false)
	if err != nil {
		return llm.Response{}, err
	}
	return m.collect(ctx, m.generateCaller(req))
}

// GenerateStream completes a prompt and yields the text as it arrives, as
// Stream does.
func (m *Model) GenerateStream(ctx context.Context, prompt string, opts ...GenerateOption) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		req, err := m.generateRequest(ctx, prompt, opts, true)
		if err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		m.stream(ctx, m.generateCaller(req), yield)
	}
}

// generateRequest builds the request of a completion, checking the prompt
// the images and the format as llm.Request.Validate checks a request.
func (m *Model) generateRequest(ctx context.Context, prompt string, opts []GenerateOption, stream bool) (*api.GenerateRequest, error) {
	var cfg generateConfig
	for _, o := range opts {
		if o != nil {
			o.applyGenerate(&cfg)
		}
	}
	if cfg.options.MaxTokens < 0 {
		return nil, fmt.Errorf("ollama: %w: negative MaxTokens %d", llm.ErrInvalidRequest, cfg.options.MaxTokens)
	}
	if cfg.raw && cfg.system != "" {
		return nil, fmt.Errorf("ollama: %w: a raw prompt cannot have a system prompt", llm.ErrInvalidRequest)
	}
	check := llm.Request{Messages: []llm.Message{llm.User(prompt, cfg.images...)}, Format: cfg.format}
	if err := check.Validate(); err != nil {
		return nil, fmt.Errorf("ollama: %w", err)
	}
	format, err := m.format(ctx, cfg.format)
	if err != nil {
		return nil, err
	}
	req := &api.GenerateRequest{
		Model:     m.model,
		Prompt:    prompt,
		Suffix:    cfg.suffix,
		System:    cfg.system,
		Raw:       cfg.raw,
		Stream:    &stream,
		Format:    format,
		KeepAlive: m.keepAlive,
		Options:   m.requestOptions(cfg.options.WithDefaults(m.defaults)),
		Think:     m.think,
	}
	for _, img := range cfg.images {
		req.Images = append(req.Images, api.ImageData(img.Data))
	}
	return req, nil
}

// generateCaller runs /api/generate.
func (m *Model) generateCaller(req *api.GenerateRequest) caller {
	return func(ctx context.Context, fn func(piece) error) error {
		return m.client.Generate(ctx, req, func(r api.GenerateResponse) error { return fn(generatePiece(&r)) })
	}
}
