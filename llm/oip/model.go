package oip

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Model is one model of an Open Inference Protocol server. It is safe for
// concurrent use, and describes itself to chain.Describe as a node of kind
// chain.KindModel named "oip:<name>".
type Model struct {
	name       string
	version    string
	base       string // the server's URL, without a trailing slash
	host       string
	path       string // /v2/models/{name}[/versions/{version}]
	hc         Doer
	header     http.Header
	red        *llm.Redactor // hides the header values from errors
	noValidate bool
	retry      retry.Policy

	mu   sync.Mutex
	meta *Metadata // cached after the first successful read
}

var _ chain.Describer = (*Model)(nil)

// New returns the model called name on the server at baseURL (such as
// http://triton:8000, or a KServe InferenceService's URL; any path is kept
// as a prefix before /v2). New sends nothing. Its errors (an empty model
// name, a base URL that is not http(s), an invalid option) match
// chain.ErrConfig.
func New(baseURL, name string, opts ...Option) (*Model, error) {
	if strings.TrimSpace(name) == "" {
		return nil, fmt.Errorf("oip.New: %w: empty model name", chain.ErrConfig)
	}
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("oip.New(%q): %w: base URL %q is not an http(s) URL", name, chain.ErrConfig, baseURL)
	}
	u.User = nil
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, fmt.Errorf("oip.New(%q): %w: %w", name, chain.ErrConfig, cfg.err)
	}
	if cfg.hc == nil {
		cfg.hc = &http.Client{}
	}
	path := "/v2/models/" + url.PathEscape(name)
	if cfg.version != "" {
		path += "/versions/" + url.PathEscape(cfg.version)
	}
	return &Model{
		name:       name,
		version:    cfg.version,
		base:       strings.TrimRight(u.String(), "/"),
		host:       u.Host,
		path:       path,
		hc:         cfg.hc,
		header:     cfg.header,
		red:        llm.NewRedactor(headerValues(cfg.header)...),
		noValidate: cfg.noValidate,
		retry:      *cfg.policy(),
	}, nil
}

// headerValues are the values of h, the secrets a Model's errors hide.
func headerValues(h http.Header) []string {
	var out []string
	for _, vs := range h {
		out = append(out, vs...)
	}
	return out
}

// MustNew is New that panics with New's error instead of returning it.
func MustNew(baseURL, name string, opts ...Option) *Model {
	m, err := New(baseURL, name, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Name returns the model's name.
func (m *Model) Name() string { return m.name }

// Version returns the version asked for with WithVersion, or "".
func (m *Model) Version() string { return m.version }

// Describe reports the model as a leaf of the inference graph, named
// "oip:<name>", its detail the server and the version.
func (m *Model) Describe() chain.Node {
	detail := m.host
	if m.version != "" {
		detail += " v" + m.version
	}
	return chain.Node{Kind: chain.KindModel, Name: provider + ":" + m.name, Detail: detail, Chain: m}
}

// InferRequest is a whole inference request: an ID the server echoes, the
// request's parameters, the inputs and the names of the outputs wanted
// (none: all of them).
type InferRequest struct {
	ID         string
	Parameters map[string]any
	Inputs     []Tensor
	Outputs    []string
}

// InferResponse is a whole inference response.
type InferResponse struct {
	ModelName    string
	ModelVersion string
	ID           string
	Parameters   map[string]any
	Outputs      []Tensor
}

// Infer runs the model on the inputs and returns its outputs: those named
// by outputs, in that order, or, without names, every output the server
// sends, in its order. See Do for the checks and the errors.
func (m *Model) Infer(ctx context.Context, inputs []Tensor, outputs ...string) ([]Tensor, error) {
	resp, err := m.Do(ctx, InferRequest{Inputs: inputs, Outputs: outputs})
	if err != nil {
		return nil, err
	}
	if len(outputs) == 0 {
		return resp.Outputs, nil
	}
	out := make([]Tensor, len(outputs))
	for i, name := range outputs {
		j := indexOf(resp.Outputs, name)
		if j < 0 {
			return nil, m.badAnswer(fmt.Sprintf("the answer has no output %q", name))
		}
		out[i] = resp.Outputs[j]
	}
	return out, nil
}

func indexOf(ts []Tensor, name string) int {
	for i, t := range ts {
		if t.Name == name {
			return i
		}
	}
	return -1
}

// Do sends an inference request (POST .../infer) and returns the server's
// response.
//
// Each input is checked with Tensor.Validate and, unless WithoutValidation
// was given, the inputs and outputs against the model's metadata (read
// once, then cached; see Metadata.Check): a tensor that does not pass is a
// *TensorError matching ErrInvalidTensor or ErrMismatch (and
// llm.ErrInvalidRequest), and nothing is sent. A failure of the server is
// an *llm.Error (see the package documentation); a 400 or 404 also drops
// the cached metadata, so that a model reloaded with other inputs is read
// again.
func (m *Model) Do(ctx context.Context, req InferRequest) (InferResponse, error) {
	if len(req.Inputs) == 0 {
		return InferResponse{}, fmt.Errorf("%w: oip %s: no inputs", llm.ErrInvalidRequest, m.name)
	}
	for _, t := range req.Inputs {
		if err := t.Validate(); err != nil {
			err.(*TensorError).Model = m.name
			return InferResponse{}, err
		}
	}
	if !m.noValidate {
		md, err := m.Metadata(ctx)
		if err != nil {
			return InferResponse{}, err
		}
		if err := md.Check(req.Inputs, req.Outputs); err != nil {
			err.(*TensorError).Model = m.name
			return InferResponse{}, err
		}
	}
	w := wireRequest{ID: req.ID, Parameters: req.Parameters, Inputs: make([]wireTensor, len(req.Inputs))}
	for i, t := range req.Inputs {
		w.Inputs[i] = encodeTensor(t)
	}
	for _, o := range req.Outputs {
		w.Outputs = append(w.Outputs, wireOutput{Name: o})
	}
	body, err := json.Marshal(w)
	if err != nil {
		return InferResponse{}, fmt.Errorf("%w: oip %s: %v", llm.ErrInvalidRequest, m.name, err)
	}
	data, err := m.send(ctx, http.MethodPost, m.path+"/infer", body, func(status int) {
		if status == http.StatusBadRequest || status == http.StatusNotFound {
			m.forget()
		}
	})
	if err != nil {
		return InferResponse{}, err
	}
	var wr wireResponse
	if err := json.Unmarshal(data, &wr); err != nil {
		return InferResponse{}, m.badAnswer("unreadable inference response: " + err.Error())
	}
	out := InferResponse{ModelName: wr.ModelName, ModelVersion: wr.ModelVersion, ID: wr.ID, Parameters: wr.Parameters,
		Outputs: make([]Tensor, len(wr.Outputs))}
	for i, o := range wr.Outputs {
		if out.Outputs[i], err = decodeTensor(o); err != nil {
			return InferResponse{}, m.badAnswer(err.Error())
		}
	}
	return out, nil
}

// badAnswer is the error of a successful status with an answer that does
// not make sense: not retryable.
func (m *Model) badAnswer(msg string) *llm.Error {
	return m.scrub(&llm.Error{Provider: provider, Model: m.name, StatusCode: http.StatusOK, Message: msg})
}

// Metadata returns the model's metadata (GET /v2/models/{name}), read from
// the server the first time and cached after. A 404 is an *llm.Error
// matching llm.ErrModelNotFound.
func (m *Model) Metadata(ctx context.Context) (Metadata, error) {
	m.mu.Lock()
	if m.meta != nil {
		md := *m.meta
		m.mu.Unlock()
		return md, nil
	}
	m.mu.Unlock()
	data, err := m.send(ctx, http.MethodGet, m.path, nil, nil)
	if err != nil {
		return Metadata{}, err
	}
	var w wireMetadata
	if err := json.Unmarshal(data, &w); err != nil {
		return Metadata{}, m.badAnswer("unreadable model metadata: " + err.Error())
	}
	md := Metadata(w)
	for _, t := range append(md.Inputs[:len(md.Inputs):len(md.Inputs)], md.Outputs...) {
		if !t.Datatype.Valid() {
			return Metadata{}, m.badAnswer(fmt.Sprintf("the metadata gives tensor %q the unknown datatype %q", t.Name, t.Datatype))
		}
	}
	m.mu.Lock()
	m.meta = &md
	m.mu.Unlock()
	return md, nil
}

// forget drops the cached metadata.
func (m *Model) forget() {
	m.mu.Lock()
	m.meta = nil
	m.mu.Unlock()
}

// Ready asks the server whether the model is ready for inference (GET
// .../ready). It returns nil when it is; when the server says it is not
// (a failure status, or {"ready": false}), an error matching ErrNotReady,
// which is also an *llm.Error carrying the status (404: the model is
// unknown, llm.ErrModelNotFound). Use it as a circuit breaker's health
// check: chain.HealthCheck(model.Ready).
func (m *Model) Ready(ctx context.Context) error {
	return m.probe(ctx, m.path+"/ready", "model "+m.name)
}

// ServerReady asks whether the server is ready for inference on all its
// models (GET /v2/health/ready), with the errors of Ready.
func (m *Model) ServerReady(ctx context.Context) error {
	return m.probe(ctx, "/v2/health/ready", "server")
}

// ServerLive asks whether the server is live (GET /v2/health/live), with
// the errors of Ready.
func (m *Model) ServerLive(ctx context.Context) error {
	return m.probe(ctx, "/v2/health/live", "server")
}

// probe reads a health endpoint: a 2xx status is healthy unless the body
// says {"ready": false} or {"live": false}.
func (m *Model) probe(ctx context.Context, path, what string) error {
	actx, cancel := m.retry.Attempt(ctx) // the timeout, no retries: a probe says how things are now
	defer cancel()
	resp, data, err := m.call(actx, http.MethodGet, path, nil)
	if err != nil && retry.TimedOut(ctx, actx) {
		err = retry.TimeoutError(provider, m.name, m.retry.Timeout)
	}
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		e := m.statusError(resp, data, ErrNotReady)
		e.Message = what + " not ready: " + e.Message
		return e
	}
	var body struct {
		Ready *bool `json:"ready"`
		Live  *bool `json:"live"`
	}
	if json.Unmarshal(data, &body) == nil && ((body.Ready != nil && !*body.Ready) || (body.Live != nil && !*body.Live)) {
		return &llm.Error{Provider: provider, Model: m.name, StatusCode: resp.StatusCode,
			Message: what + " not ready", Temporary: true, Err: ErrNotReady}
	}
	return nil
}
