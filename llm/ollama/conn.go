package ollama

import (
	"context"
	"fmt"
	"log/slog"
	"maps"

	"github.com/ollama/ollama/api"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// conn is what a Model and an Embedder share: the api client, the model's
// name, the server's address for messages, and the settings sent with every
// request.
type conn struct {
	client    *api.Client
	model     string
	host      string // the server, for error messages; "" when unknown
	keepAlive *api.Duration
	modelOpts map[string]any // WithModelOptions
	log       *slog.Logger   // nil: no logging
	red       *llm.Redactor  // hides WithHeader's values and URL passwords
	retry     retry.Policy
}

// newConn resolves the server and builds the api client. Its errors match
// chain.ErrConfig.
func newConn(fn, model string, c *connConfig) (*conn, error) {
	if model == "" {
		c.fail("empty model name")
	}
	if c.client != nil && len(c.header) > 0 {
		c.fail("WithHeader cannot be combined with WithClient")
	}
	if err := c.err(); err != nil {
		return nil, &configError{fn, model, err}
	}
	var secrets []string
	for _, vs := range c.header {
		secrets = append(secrets, vs...)
	}
	cn := &conn{model: model, keepAlive: c.keepAlive, modelOpts: c.modelOpts, log: c.logger,
		red: llm.NewRedactor(secrets...), retry: *c.policy()}
	switch {
	case c.hostSet:
		u, err := parseHost(c.host)
		if err != nil {
			return nil, &configError{fn, model, fmt.Errorf("WithHost: %w", err)}
		}
		cn.host = u.String()
		if c.client == nil {
			cn.client = api.NewClient(u, newHTTPClient(c.httpClient, c.header, u.Host))
		}
	case c.client == nil:
		u, err := hostFromEnv()
		if err != nil {
			return nil, &configError{fn, model, err}
		}
		cn.host = u.String()
		cn.client = api.NewClient(u, newHTTPClient(c.httpClient, c.header, u.Host))
	}
	if c.client != nil {
		cn.client = c.client
	}
	return cn, nil
}

// describe is the inference-graph node of an adapter.
func (c *conn) describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "ollama:" + c.model}
}

// debug logs at Debug level when a logger is set.
func (c *conn) debug(ctx context.Context, msg string, attrs ...slog.Attr) {
	if c.log != nil {
		for i := range attrs {
			if attrs[i].Value.Kind() == slog.KindString {
				attrs[i].Value = slog.StringValue(c.red.String(attrs[i].Value.String()))
			}
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, c.red.String(msg), append(attrs, slog.String("model", c.model))...)
	}
}

// requestOptions merges the raw model options with llm.Options, which
// win. It returns nil when there are none.
func (c *conn) requestOptions(o llm.Options) map[string]any {
	n := len(c.modelOpts)
	if o.Temperature != nil {
		n++
	}
	if o.TopP != nil {
		n++
	}
	if o.MaxTokens > 0 {
		n++
	}
	if len(o.Stop) > 0 {
		n++
	}
	if o.Seed != nil {
		n++
	}
	if n == 0 {
		return nil
	}
	m := make(map[string]any, n)
	maps.Copy(m, c.modelOpts)
	if o.Temperature != nil {
		m["temperature"] = *o.Temperature
	}
	if o.TopP != nil {
		m["top_p"] = *o.TopP
	}
	if o.MaxTokens > 0 {
		m["num_predict"] = o.MaxTokens
	}
	if len(o.Stop) > 0 {
		m["stop"] = o.Stop
	}
	if o.Seed != nil {
		m["seed"] = *o.Seed
	}
	return m
}

// ping asks the server about the model.
func (c *conn) ping(ctx context.Context) error {
	var x exchange
	_, err := c.client.Show(withExchange(ctx, &x), &api.ShowRequest{Model: c.model})
	if err != nil {
		return c.failure(ctx, err, &x)
	}
	return nil
}
