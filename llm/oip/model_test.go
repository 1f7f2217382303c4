package oip_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/oip"
	"github.com/chorus-go/chorus/llm/oip/oiptest"

	"github.com/chorus-go/chorus/chain/chaintest"
)

// newIris serves the iris model and returns a client of it with retries
// off, so that a scripted failure shows as the call's error; the tests of
// retries ask for them.
func newIris(t *testing.T, opts ...oip.Option) (*oiptest.Server, *oip.Model) {
	t.Helper()
	srv := oiptest.New(t, irisModel())
	m, err := oip.New(srv.URL(), "iris", append([]oip.Option{oip.WithHTTPClient(srv.Client()), oip.WithMaxRetries(0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, m
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func features(t *testing.T, rows ...[]float32) oip.Tensor {
	t.Helper()
	f, err := oip.FromRows("features", rows)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// countPath counts the requests to a path.
func countPath(srv *oiptest.Server, method, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func TestInferSendsTheProtocolsJSON(t *testing.T) {
	srv, m := newIris(t)
	resp, err := m.Do(testContext(t), oip.InferRequest{
		ID:         "req-42",
		Parameters: map[string]any{"priority": 1},
		Inputs:     []oip.Tensor{features(t, []float32{5.1, 3.5, 1.4, 0.2}, []float32{6.3, 3.3, 6.0, 2.5})},
		Outputs:    []string{"label"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.ModelName != "iris" || resp.ID != "req-42" || len(resp.Outputs) != 1 || resp.Outputs[0].Name != "label" {
		t.Fatalf("response %+v", resp)
	}
	if labels, _ := oip.Int64s(resp.Outputs[0]); len(labels) != 2 || labels[0] != 0 || labels[1] != 2 {
		t.Errorf("labels %v", labels)
	}
	var body map[string]any
	for _, r := range srv.Requests() {
		if r.Path == "/v2/models/iris/infer" {
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := `{"id":"req-42","inputs":[{"data":[5.1,3.5,1.4,0.2,6.3,3.3,6,2.5],"datatype":"FP32","name":"features","shape":[2,4]}],"outputs":[{"name":"label"}],"parameters":{"priority":1}}`
	if got, _ := json.Marshal(body); string(got) != want {
		t.Errorf("request body\n%s\nwant\n%s", got, want)
	}
}

func TestInferOrdersOutputsAsAsked(t *testing.T) {
	_, m := newIris(t)
	ctx := testContext(t)
	in := []oip.Tensor{features(t, []float32{5.1, 3.5, 1.4, 0.2})}
	out, err := m.Infer(ctx, in, "probabilities", "label")
	if err != nil || out[0].Name != "probabilities" || out[1].Name != "label" {
		t.Fatalf("Infer = %v, %v", out, err)
	}
	all, err := m.Infer(ctx, in)
	if err != nil || len(all) != 2 || all[0].Name != "label" {
		t.Fatalf("Infer without names = %v, %v", all, err)
	}
}

func TestNestedOutputs(t *testing.T) {
	srv, m := newIris(t)
	srv.SetNestedOutputs(true)
	out, err := m.Infer(testContext(t), []oip.Tensor{features(t, []float32{5.1, 3.5, 1.4, 0.2}, []float32{6.4, 3.2, 4.5, 1.5})}, "probabilities")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := oip.Rows[float32](out[0])
	if err != nil || len(rows) != 2 || rows[1][1] != 0.9 {
		t.Fatalf("rows %v, %v", rows, err)
	}
}

func TestMetadataIsReadOnceAndCached(t *testing.T) {
	srv, m := newIris(t)
	ctx := testContext(t)
	md, err := m.Metadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if md.Name != "iris" || md.Platform != "onnxruntime_onnx" || len(md.Inputs) != 1 || md.Inputs[0].Shape[0] != -1 {
		t.Errorf("metadata %+v", md)
	}
	for range 3 {
		if _, err := m.Infer(ctx, []oip.Tensor{features(t, []float32{1, 2, 3, 4})}); err != nil {
			t.Fatal(err)
		}
	}
	if n := countPath(srv, http.MethodGet, "/v2/models/iris"); n != 1 {
		t.Errorf("metadata read %d times, want once", n)
	}
}

func TestClientRefusesWhatDoesNotFit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		inputs  []oip.Tensor
		outputs []string
		want    error
	}{
		{"bad shape", []oip.Tensor{{Name: "features", Datatype: oip.FP32, Shape: []int64{2, 3}, Data: make([]float32, 6)}}, nil, oip.ErrMismatch},
		{"bad rank", []oip.Tensor{{Name: "features", Datatype: oip.FP32, Shape: []int64{4}, Data: make([]float32, 4)}}, nil, oip.ErrMismatch},
		{"bad datatype", []oip.Tensor{{Name: "features", Datatype: oip.FP64, Shape: []int64{1, 4}, Data: make([]float64, 4)}}, nil, oip.ErrMismatch},
		{"unknown input", []oip.Tensor{{Name: "pixels", Datatype: oip.FP32, Shape: []int64{1, 4}, Data: make([]float32, 4)}}, nil, oip.ErrMismatch},
		{"unknown output", []oip.Tensor{{Name: "features", Datatype: oip.FP32, Shape: []int64{1, 4}, Data: make([]float32, 4)}}, []string{"logits"}, oip.ErrMismatch},
		{"input twice", []oip.Tensor{{Name: "features", Datatype: oip.FP32, Shape: []int64{1, 4}, Data: make([]float32, 4)}, {Name: "features", Datatype: oip.FP32, Shape: []int64{1, 4}, Data: make([]float32, 4)}}, nil, oip.ErrMismatch},
		{"data short of shape", []oip.Tensor{{Name: "features", Datatype: oip.FP32, Shape: []int64{2, 4}, Data: make([]float32, 4)}}, nil, oip.ErrInvalidTensor},
		{"Go type of another datatype", []oip.Tensor{{Name: "features", Datatype: oip.FP32, Shape: []int64{1, 4}, Data: make([]int32, 4)}}, nil, oip.ErrInvalidTensor},
		{"no inputs", nil, nil, llm.ErrInvalidRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, m := newIris(t)
			_, err := m.Infer(testContext(t), tc.inputs, tc.outputs...)
			if !errors.Is(err, tc.want) || !errors.Is(err, llm.ErrInvalidRequest) {
				t.Fatalf("error %v, want one matching %v and llm.ErrInvalidRequest", err, tc.want)
			}
			if n := countPath(srv, http.MethodPost, "/v2/models/iris/infer"); n != 0 {
				t.Errorf("the refused request was sent (%d)", n)
			}
			t.Log(err)
		})
	}
}

func TestServerRefusesWhatDoesNotFit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		input   oip.Tensor
		message string
	}{
		{"bad shape", oip.Tensor{Name: "features", Datatype: oip.FP32, Shape: []int64{2, 3}, Data: make([]float32, 6)}, "unexpected shape for input 'features' for model 'iris'. Expected [-1,4], got [2,3]"},
		{"bad datatype", oip.Tensor{Name: "features", Datatype: oip.Int64, Shape: []int64{1, 4}, Data: make([]int64, 4)}, "unexpected datatype INT64 for inference input 'features', expecting FP32"},
		{"unknown input", oip.Tensor{Name: "pixels", Datatype: oip.FP32, Shape: []int64{1, 4}, Data: make([]float32, 4)}, "unexpected inference input 'pixels' for model 'iris'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, m := newIris(t, oip.WithoutValidation())
			_, err := m.Infer(testContext(t), []oip.Tensor{tc.input})
			var pe *llm.Error
			if !errors.As(err, &pe) || pe.StatusCode != http.StatusBadRequest || pe.Provider != "oip" || pe.Model != "iris" {
				t.Fatalf("error %v, want an *llm.Error with status 400", err)
			}
			if !errors.Is(err, llm.ErrBadRequest) || chain.IsRetryable(err) {
				t.Errorf("a 400 must match llm.ErrBadRequest and not be retryable: %v", err)
			}
			if pe.Message != tc.message {
				t.Errorf("message %q, want the server's %q", pe.Message, tc.message)
			}
			if n := countPath(srv, http.MethodGet, "/v2/models/iris"); n != 0 {
				t.Errorf("WithoutValidation read the metadata %d times", n)
			}
		})
	}
}

func TestUnknownModel(t *testing.T) {
	srv := oiptest.New(t, irisModel())
	m, err := oip.New(srv.URL(), "resnet50", oip.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	_, err = m.Infer(ctx, []oip.Tensor{features(t, []float32{1, 2, 3, 4})})
	if !errors.Is(err, llm.ErrModelNotFound) || chain.IsRetryable(err) || !strings.Contains(err.Error(), "unknown model: 'resnet50'") {
		t.Fatalf("Infer on an unknown model: %v", err)
	}
	if err := m.Ready(ctx); !errors.Is(err, oip.ErrNotReady) || !errors.Is(err, llm.ErrModelNotFound) {
		t.Errorf("Ready on an unknown model: %v", err)
	}
	v, _ := oip.New(srv.URL(), "iris", oip.WithHTTPClient(srv.Client()), oip.WithVersion("7"))
	if _, err := v.Metadata(ctx); !errors.Is(err, llm.ErrModelNotFound) {
		t.Errorf("unknown version: %v", err)
	}
}

func TestVersionedModel(t *testing.T) {
	model := irisModel()
	model.Version = "3"
	srv := oiptest.New(t, model)
	m, _ := oip.New(srv.URL(), "iris", oip.WithHTTPClient(srv.Client()), oip.WithVersion("3"), oip.WithHeader("Authorization", "Bearer t0ken"))
	ctx := testContext(t)
	resp, err := m.Do(ctx, oip.InferRequest{Inputs: []oip.Tensor{features(t, []float32{1, 2, 3, 4})}})
	if err != nil || resp.ModelVersion != "3" {
		t.Fatalf("Do = %+v, %v", resp, err)
	}
	if err := m.Ready(ctx); err != nil {
		t.Error(err)
	}
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.Path, "/v2/models/iris/versions/3") {
			t.Errorf("request to %s", r.Path)
		}
		if r.Header.Get("Authorization") != "Bearer t0ken" {
			t.Errorf("request to %s without the header", r.Path)
		}
	}
	if d := chain.Describe(m); d.Name != "oip:iris" || !strings.HasSuffix(d.Detail, " v3") || d.Kind != chain.KindModel {
		t.Errorf("Describe = %+v", d)
	}
}

func TestNotReady(t *testing.T) {
	srv, m := newIris(t)
	ctx := testContext(t)
	if err := m.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	if err := m.ServerReady(ctx); err != nil {
		t.Fatalf("ServerReady: %v", err)
	}
	if err := m.ServerLive(ctx); err != nil {
		t.Fatalf("ServerLive: %v", err)
	}
	srv.SetReady("iris", false)
	err := m.Ready(ctx)
	var pe *llm.Error
	if !errors.Is(err, oip.ErrNotReady) || !errors.As(err, &pe) || pe.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("Ready on a model that is not ready: %v", err)
	}
	if err := m.ServerReady(ctx); !errors.Is(err, oip.ErrNotReady) {
		t.Errorf("ServerReady with a model not ready: %v", err)
	}
	_, err = m.Infer(ctx, []oip.Tensor{features(t, []float32{1, 2, 3, 4})})
	if !errors.Is(err, llm.ErrServer) || !chain.IsRetryable(err) {
		t.Errorf("Infer on a model that is not ready: %v, want a retryable 503", err)
	}
}

func TestReadyBody(t *testing.T) {
	// Some servers answer 200 with {"ready": false}.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v2/models/m/ready":
			_, _ = w.Write([]byte(`{"name": "m", "ready": false}`))
		case "/v2/health/ready":
			_, _ = w.Write(nil) // Triton: 200, empty body
		}
	}))
	defer ts.Close()
	m, _ := oip.New(ts.URL, "m", oip.WithHTTPClient(ts.Client()))
	if err := m.Ready(testContext(t)); !errors.Is(err, oip.ErrNotReady) {
		t.Errorf("Ready with {\"ready\": false}: %v", err)
	}
	if err := m.ServerReady(testContext(t)); err != nil {
		t.Errorf("ServerReady with 200 and no body: %v", err)
	}
}

func TestRetryAfter(t *testing.T) {
	srv, m := newIris(t)
	srv.Fail(http.StatusServiceUnavailable, "model is loading", 4*time.Second)
	srv.Fail(http.StatusTooManyRequests, "queue full", 0)
	ctx := testContext(t)
	in := []oip.Tensor{features(t, []float32{1, 2, 3, 4})}
	_, err := m.Infer(ctx, in)
	if d, ok := chain.RetryAfter(err); !ok || d != 4*time.Second || !chain.IsRetryable(err) || !strings.Contains(err.Error(), "model is loading") {
		t.Fatalf("503 with Retry-After: %v (retry after %v)", err, d)
	}
	_, err = m.Infer(ctx, in)
	if !errors.Is(err, llm.ErrRateLimited) || !chain.IsRetryable(err) {
		t.Fatalf("429: %v", err)
	}
	// chain.Retry honours the wait and recovers.
	srv.Fail(http.StatusServiceUnavailable, "model is loading", 2*time.Second)
	clock := &recordingClock{}
	retry := chain.Retry(irisChain(m), chain.RetryClock(clock))
	got, err := retry.Run(ctx, Flower{6.3, 3.3, 6.0, 2.5})
	if err != nil || got != "virginica" {
		t.Fatalf("Retry = %v, %v", got, err)
	}
	if w := clock.waits(); len(w) != 1 || w[0] < 2*time.Second {
		t.Errorf("Retry waited %v, want the server's 2s", w)
	}
}

// recordingClock answers every wait at once and records it.
type recordingClock struct {
	mu sync.Mutex
	ws []time.Duration
}

func (c *recordingClock) Now() time.Time { return time.Now() }

func (c *recordingClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.ws = append(c.ws, d)
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- time.Now()
	return ch
}

func (c *recordingClock) waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.ws...)
}

func TestCancelWhileTheServerHangs(t *testing.T) {
	srv, m := newIris(t)
	ctx := testContext(t)
	if _, err := m.Metadata(ctx); err != nil { // so that only the inference hangs
		t.Fatal(err)
	}
	srv.Hang()
	ignore := goleak.IgnoreCurrent()
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := m.Infer(cctx, []oip.Tensor{features(t, []float32{1, 2, 3, 4})})
		done <- err
	}()
	for countPath(srv, http.MethodPost, "/v2/models/iris/infer") == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || chain.IsRetryable(err) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Infer did not return after its context was cancelled")
	}
	goleak.VerifyNone(t, ignore, goleak.IgnoreAnyFunction("bufio.(*Reader).Peek"), goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"))
}

func TestNoAnswerIsRetryable(t *testing.T) {
	srv, m := newIris(t, oip.WithoutValidation())
	srv.Close()
	_, err := m.Infer(testContext(t), []oip.Tensor{features(t, []float32{1, 2, 3, 4})})
	var pe *llm.Error
	if !errors.As(err, &pe) || pe.StatusCode != 0 || !chain.IsRetryable(err) {
		t.Fatalf("a closed server: %v, want a retryable *llm.Error with status 0", err)
	}
}

func TestBadAnswers(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"not JSON", `<html>oops</html>`},
		{"short data", `{"model_name":"m","outputs":[{"name":"y","datatype":"FP32","shape":[3],"data":[1,2]}]}`},
		{"wrong element type", `{"model_name":"m","outputs":[{"name":"y","datatype":"INT64","shape":[1],"data":["x"]}]}`},
		{"unknown datatype", `{"model_name":"m","outputs":[{"name":"y","datatype":"FP8","shape":[1],"data":[1]}]}`},
		{"binary data", `{"model_name":"m","outputs":[{"name":"y","datatype":"FP32","shape":[1],"parameters":{"binary_data_size":4}}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(tc.body))
			}))
			defer ts.Close()
			m, _ := oip.New(ts.URL, "m", oip.WithHTTPClient(ts.Client()), oip.WithoutValidation())
			x, _ := oip.NewTensor("x", []int64{1}, []float32{1})
			_, err := m.Infer(testContext(t), []oip.Tensor{x})
			var pe *llm.Error
			if !errors.As(err, &pe) || chain.IsRetryable(err) {
				t.Fatalf("error %v, want a non-retryable *llm.Error", err)
			}
			t.Log(err)
		})
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"model_name":"m","outputs":[{"name":"y","datatype":"FP32","shape":[1],"data":[1]}]}`))
	}))
	defer ts.Close()
	m, _ := oip.New(ts.URL, "m", oip.WithHTTPClient(ts.Client()), oip.WithoutValidation())
	x, _ := oip.NewTensor("x", []int64{1}, []float32{1})
	if _, err := m.Infer(testContext(t), []oip.Tensor{x}, "z"); err == nil || !strings.Contains(err.Error(), `no output "z"`) {
		t.Errorf("a missing output: %v", err)
	}
}

func TestBreakerWithReadyHealthCheck(t *testing.T) {
	srv, m := newIris(t)
	clock := chaintest.NewClock(time.Unix(0, 0))
	guarded := chain.Breaker(irisChain(m), chain.Threshold(2), chain.Cooldown(time.Minute),
		chain.HealthCheck(m.Ready), chain.BreakerClock(clock))
	ctx := testContext(t)
	flower := Flower{5.1, 3.5, 1.4, 0.2}

	srv.SetReady("iris", false) // the model is being reloaded
	for range 2 {
		if _, err := guarded.Run(ctx, flower); !errors.Is(err, llm.ErrServer) {
			t.Fatalf("call while not ready: %v", err)
		}
	}
	if guarded.State() != chain.Open {
		t.Fatalf("state %v after 2 failures, want open", guarded.State())
	}
	infers := countPath(srv, http.MethodPost, "/v2/models/iris/infer")
	if _, err := guarded.Run(ctx, flower); !errors.Is(err, chain.ErrOpen) {
		t.Fatalf("call while open: %v", err)
	}

	clock.Advance(time.Minute) // cooldown over, still not ready: the health check keeps it open
	if _, err := guarded.Run(ctx, flower); !errors.Is(err, chain.ErrOpen) || !errors.Is(err, oip.ErrNotReady) {
		t.Fatalf("call after the cooldown while not ready: %v, want ErrOpen caused by ErrNotReady", err)
	}
	if n := countPath(srv, http.MethodPost, "/v2/models/iris/infer"); n != infers {
		t.Errorf("the open breaker let %d inferences through", n-infers)
	}

	srv.SetReady("iris", true)
	clock.Advance(time.Minute)
	got, err := guarded.Run(ctx, flower)
	if err != nil || got != "setosa" {
		t.Fatalf("call once ready: %v, %v", got, err)
	}
	if guarded.State() != chain.Closed {
		t.Errorf("state %v after a good probe, want closed", guarded.State())
	}
}

func TestChain(t *testing.T) {
	_, m := newIris(t)
	c := irisChain(m)
	ctx := testContext(t)
	got, err := c.Run(ctx, Flower{6.4, 3.2, 4.5, 1.5})
	if err != nil || got != "versicolor" {
		t.Fatalf("Run = %v, %v", got, err)
	}
	if d := chain.Describe(c); d.Name != "oip:iris" || d.Kind != chain.KindModel {
		t.Errorf("Describe = %+v", d)
	}
	bad := oip.Chain(m, func(Flower) ([]oip.Tensor, error) { return nil, errors.New("no features") }, decodeSpecies)
	if _, err := bad.Run(ctx, Flower{}); err == nil || !strings.Contains(err.Error(), "encode: no features") {
		t.Errorf("encode error: %v", err)
	}
	panicky := oip.Chain(m, encodeFlower, func(out []oip.Tensor) (Species, error) { return Species(out[5].Name), nil })
	if _, err := panicky.Run(ctx, Flower{}); !errors.Is(err, chain.ErrPanic) {
		t.Errorf("a decode that panics: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Run(cctx, Flower{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	for _, f := range []func(){
		func() { oip.Chain[Flower, Species](nil, encodeFlower, decodeSpecies) },
		func() { oip.Chain[Flower, Species](m, nil, decodeSpecies) },
		func() { oip.Chain[Flower, Species](m, encodeFlower, nil) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !errors.Is(r.(error), chain.ErrConfig) {
					t.Errorf("recovered %v, want a *chain.ConfigError", r)
				}
			}()
			f()
		}()
	}
}

func TestConcurrentInfer(t *testing.T) {
	srv, m := newIris(t)
	c := irisChain(m)
	ctx := testContext(t)
	flowers := []Flower{{5.1, 3.5, 1.4, 0.2}, {6.4, 3.2, 4.5, 1.5}, {6.3, 3.3, 6.0, 2.5}}
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.Run(ctx, flowers[i%3])
			if err != nil || got != species[i%3] {
				t.Errorf("call %d: %v, %v", i, got, err)
			}
		}()
	}
	wg.Wait()
	if n := srv.Inferences(); n != 24 {
		t.Errorf("%d inferences", n)
	}
}

func TestNewChecksItsArguments(t *testing.T) {
	for _, tc := range []struct{ url, name string }{
		{"http://triton:8000", ""},
		{"triton:8000", "m"},
		{"ftp://triton", "m"},
		{"http://", "m"},
	} {
		if _, err := oip.New(tc.url, tc.name); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("New(%q, %q) = %v, want chain.ErrConfig", tc.url, tc.name, err)
		}
	}
	if _, err := oip.New("http://triton:8000", "m", oip.WithHTTPClient(nil)); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("nil HTTP client: err = %v, want chain.ErrConfig", err)
	}
	m, err := oip.New("https://user:secret@kserve.example.com/prefix/", "iris")
	if err != nil {
		t.Fatal(err)
	}
	if d := m.Describe(); strings.Contains(d.Detail, "secret") {
		t.Errorf("Describe shows the password: %+v", d)
	}
}

func TestDefaultRetries(t *testing.T) {
	in := func() []oip.Tensor { return []oip.Tensor{features(t, []float32{1, 2, 3, 4})} }
	fast := oip.WithRetryBackoff(time.Millisecond, time.Millisecond)

	srv, m := newIris(t, oip.WithMaxRetries(oip.DefaultMaxRetries), fast)
	srv.Fail(http.StatusServiceUnavailable, "model is loading", 0)
	srv.Fail(http.StatusTooManyRequests, "queue full", 0)
	if _, err := m.Infer(testContext(t), in()); err != nil {
		t.Fatalf("two transient failures: %v", err)
	}
	srv.Fail(http.StatusServiceUnavailable, "a", 0)
	srv.Fail(http.StatusServiceUnavailable, "b", 0)
	srv.Fail(http.StatusServiceUnavailable, "c", 0)
	if _, err := m.Infer(testContext(t), in()); !errors.Is(err, llm.ErrServer) || !strings.Contains(err.Error(), ": c") {
		t.Fatalf("three failures: %v, want the third", err)
	}

	// A Retry-After past the caller's deadline fails at once, saying so.
	srv.Fail(http.StatusServiceUnavailable, "model is loading", 90*time.Second)
	ctx, cancel := context.WithTimeout(testContext(t), 5*time.Second)
	defer cancel()
	_, err := m.Infer(ctx, in())
	if d, ok := chain.RetryAfter(err); !ok || d != 90*time.Second || !strings.Contains(err.Error(), "server asked to wait 1m30s, past the caller's deadline") {
		t.Fatalf("err = %v", err)
	}
	if _, err := m.Infer(ctx, in()); err != nil {
		t.Fatalf("the failure was not consumed once: %v", err)
	}

	for name, opt := range map[string]oip.Option{
		"negative retries": oip.WithMaxRetries(-1), "negative timeout": oip.WithTimeout(-1),
		"zero max wait": oip.WithMaxRetryWait(0), "zero backoff": oip.WithRetryBackoff(0, 0),
	} {
		if _, err := oip.New(srv.URL(), "iris", opt); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestTimeoutEndsAHang(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	m, err := oip.New(hang.URL, "iris", oip.WithHTTPClient(hang.Client()), oip.WithTimeout(20*time.Millisecond), oip.WithMaxRetries(1), oip.WithRetryBackoff(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Metadata(testContext(t))
	if !errors.Is(err, context.DeadlineExceeded) || !chain.IsRetryable(err) || !strings.Contains(err.Error(), "no answer within 20ms") {
		t.Fatalf("err = %v, want a retryable timeout", err)
	}
	if err := m.Ready(testContext(t)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("probe: %v", err)
	}
}
