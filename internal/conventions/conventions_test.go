package conventions_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/drift"
	"github.com/chorus-go/chorus/chain/eval"
	"github.com/chorus-go/chorus/chain/prom"
	"github.com/chorus-go/chorus/chain/rollout"
	"github.com/chorus-go/chorus/chain/serve"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/llm/oip"
	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/chorus-go/chorus/llm/openai"
	"github.com/chorus-go/chorus/llm/tesseract"
	"github.com/chorus-go/chorus/llm/visionocr"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/memory/pgmemory"
	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/pgvector"
	"github.com/chorus-go/chorus/tools"
)

// A convention case builds something with one bad configuration value.
type convention struct {
	name string
	// newX is the error-returning form; nil when the package has none
	// (a chain combinator).
	newX func() error
	// mustX is the panicking form (MustX, or the combinator); nil when
	// the package has none (pgmemory.New, pgvector.New, eval's functions).
	mustX func() any
	// want are substrings of the error message: the package first, then
	// the bad value or what was wrong with it.
	want []string
}

// noFunc has a field no JSON schema can describe.
type noFunc struct {
	F func() `json:"f"`
}

type arg struct {
	Q string `json:"q"`
}

func echo(_ context.Context, a arg) (string, error) { return a.Q, nil }

// lazyPool is a pool that has not connected, and never will: a
// constructor must refuse a bad option before it uses the pool.
func lazyPool() *pgxpool.Pool {
	pool, err := pgxpool.New(context.Background(), "postgres://chorus@127.0.0.1:1/none?connect_timeout=1")
	if err != nil {
		panic(err)
	}
	return pool
}

func ptr[T any](v T) *T { return &v }

func conventions() []convention {
	model := llmtest.NewModel("m")
	store := memory.NewInProcess()
	ok := chain.Pure(strings.ToUpper)
	var nilChain chain.Chain[string, string]
	ctx := context.Background()
	ref := drift.Reference{Numbers: map[string]drift.NumberReference{"x": {Mean: 0, Std: 1}}}
	extract := func(x float64) drift.Features { return drift.Features{Numbers: map[string]float64{"x": x}} }
	data := []eval.Example[string, string]{{Input: "a", Want: "A"}}
	shadowRecord := func(rollout.ShadowResult[string, string]) {}
	return []convention{
		// llm, and chain/schema through llm
		{
			name:  "llm.NewExtractor unsupported type",
			newX:  func() error { _, err := llm.NewExtractor[noFunc](model); return err },
			mustX: func() any { return llm.Extractor[noFunc](model) },
			want:  []string{"llm", "func"},
		},
		{
			name:  "llm.NewStructured negative repairs",
			newX:  func() error { _, err := llm.NewStructured[string, string](model, llm.WithRepairs(-1)); return err },
			mustX: func() any { return llm.Structured[string, string](model, llm.WithRepairs(-1)) },
			want:  []string{"llm", "-1"},
		},
		{
			name:  "llm.NewClassifier no labels",
			newX:  func() error { _, err := llm.NewClassifier[string](model, nil); return err },
			mustX: func() any { return llm.Classifier[string](model, nil) },
			want:  []string{"llm", "label"},
		},
		{
			name:  "llm.NewScoredClassifier nil model",
			newX:  func() error { _, err := llm.NewScoredClassifier(nil, []string{"a", "b"}); return err },
			mustX: func() any { return llm.ScoredClassifier(nil, []string{"a", "b"}) },
			want:  []string{"llm", "nil model"},
		},
		{
			name: "llm.NewStructured negative temperature",
			newX: func() error {
				_, err := llm.NewStructured[string, string](model, llm.WithOptions(llm.Options{Temperature: ptr(-1.0)}))
				return err
			},
			mustX: func() any {
				return llm.Structured[string, string](model, llm.WithOptions(llm.Options{Temperature: ptr(-1.0)}))
			},
			want: []string{"llm", "temperature", "-1"},
		},
		// llm/anthropic
		{
			name:  "anthropic.New empty model",
			newX:  func() error { _, err := anthropic.New("", anthropic.WithAPIKey("k")); return err },
			mustX: func() any { return anthropic.MustNew("", anthropic.WithAPIKey("k")) },
			want:  []string{"anthropic", "empty model"},
		},
		{
			name:  "anthropic.New bad base URL",
			newX:  func() error { _, err := anthropic.New("claude", anthropic.WithBaseURL("ftp://x")); return err },
			mustX: func() any { return anthropic.MustNew("claude", anthropic.WithBaseURL("ftp://x")) },
			want:  []string{"anthropic", "ftp://x"},
		},
		{
			name: "anthropic.New zero max tokens",
			newX: func() error {
				_, err := anthropic.New("claude", anthropic.WithAPIKey("k"), anthropic.WithMaxTokens(0))
				return err
			},
			mustX: func() any { return anthropic.MustNew("claude", anthropic.WithAPIKey("k"), anthropic.WithMaxTokens(0)) },
			want:  []string{"anthropic", "WithMaxTokens", "0"},
		},
		{
			name: "anthropic.New negative temperature",
			newX: func() error {
				_, err := anthropic.New("claude", anthropic.WithAPIKey("k"), anthropic.WithOptions(llm.Options{Temperature: ptr(-1.0)}))
				return err
			},
			mustX: func() any {
				return anthropic.MustNew("claude", anthropic.WithAPIKey("k"), anthropic.WithOptions(llm.Options{Temperature: ptr(-1.0)}))
			},
			want: []string{"anthropic", "temperature", "-1"},
		},
		// llm/openai
		{
			name:  "openai.New empty model",
			newX:  func() error { _, err := openai.New("", openai.WithAPIKey("k")); return err },
			mustX: func() any { return openai.MustNew("", openai.WithAPIKey("k")) },
			want:  []string{"openai", "model"},
		},
		{
			name:  "openai.New bad base URL",
			newX:  func() error { _, err := openai.New("gpt", openai.WithBaseURL("ftp://x/v1")); return err },
			mustX: func() any { return openai.MustNew("gpt", openai.WithBaseURL("ftp://x/v1")) },
			want:  []string{"openai", "ftp://x/v1"},
		},
		{
			name: "openai.New negative max tokens",
			newX: func() error {
				_, err := openai.New("gpt", openai.WithAPIKey("k"), openai.WithOptions(llm.Options{MaxTokens: -5}))
				return err
			},
			mustX: func() any {
				return openai.MustNew("gpt", openai.WithAPIKey("k"), openai.WithOptions(llm.Options{MaxTokens: -5}))
			},
			want: []string{"openai", "-5"},
		},
		{
			name: "openai.NewEmbedder zero batch size",
			newX: func() error {
				_, err := openai.NewEmbedder("e", openai.WithAPIKey("k"), openai.WithBatchSize(0))
				return err
			},
			mustX: func() any { return openai.MustEmbedder("e", openai.WithAPIKey("k"), openai.WithBatchSize(0)) },
			want:  []string{"openai", "WithBatchSize", "0"},
		},
		{
			name: "openai.NewEmbedder negative dimensions",
			newX: func() error {
				_, err := openai.NewEmbedder("e", openai.WithAPIKey("k"), openai.WithDimensions(-3))
				return err
			},
			mustX: func() any { return openai.MustEmbedder("e", openai.WithAPIKey("k"), openai.WithDimensions(-3)) },
			want:  []string{"openai", "-3"},
		},
		// llm/ollama
		{
			name:  "ollama.New empty model",
			newX:  func() error { _, err := ollama.New(""); return err },
			mustX: func() any { return ollama.MustNew("") },
			want:  []string{"ollama", "model"},
		},
		{
			name:  "ollama.New bad host",
			newX:  func() error { _, err := ollama.New("llama3.2", ollama.WithHost("ftp://gpu-box")); return err },
			mustX: func() any { return ollama.MustNew("llama3.2", ollama.WithHost("ftp://gpu-box")) },
			want:  []string{"ollama", "ftp://gpu-box"},
		},
		{
			name: "ollama.New negative top_p",
			newX: func() error {
				_, err := ollama.New("llama3.2", ollama.WithOptions(llm.Options{TopP: ptr(-0.5)}))
				return err
			},
			mustX: func() any { return ollama.MustNew("llama3.2", ollama.WithOptions(llm.Options{TopP: ptr(-0.5)})) },
			want:  []string{"ollama", "-0.5"},
		},
		{
			name:  "ollama.NewEmbedder zero batch size",
			newX:  func() error { _, err := ollama.NewEmbedder("nomic", ollama.WithBatchSize(0)); return err },
			mustX: func() any { return ollama.MustEmbedder("nomic", ollama.WithBatchSize(0)) },
			want:  []string{"ollama", "WithBatchSize", "0"},
		},
		// llm/oip
		{
			name:  "oip.New bad URL",
			newX:  func() error { _, err := oip.New("triton:8000", "iris"); return err },
			mustX: func() any { return oip.MustNew("triton:8000", "iris") },
			want:  []string{"oip", "triton:8000"},
		},
		{
			name:  "oip.New empty name",
			newX:  func() error { _, err := oip.New("http://triton:8000", ""); return err },
			mustX: func() any { return oip.MustNew("http://triton:8000", "") },
			want:  []string{"oip", "name"},
		},
		{
			name:  "oip.New empty header key",
			newX:  func() error { _, err := oip.New("http://triton:8000", "iris", oip.WithHeader("", "v")); return err },
			mustX: func() any { return oip.MustNew("http://triton:8000", "iris", oip.WithHeader("", "v")) },
			want:  []string{"oip", "header"},
		},
		// llm/tesseract
		{
			name:  "tesseract.New negative DPI",
			newX:  func() error { _, err := tesseract.New(tesseract.WithDPI(-300)); return err },
			mustX: func() any { return tesseract.MustNew(tesseract.WithDPI(-300)) },
			want:  []string{"tesseract", "-300"},
		},
		{
			name:  "tesseract.New zero concurrency",
			newX:  func() error { _, err := tesseract.New(tesseract.WithMaxConcurrency(0)); return err },
			mustX: func() any { return tesseract.MustNew(tesseract.WithMaxConcurrency(0)) },
			want:  []string{"tesseract", "0"},
		},
		// llm/visionocr
		{
			name:  "visionocr.New nil model",
			newX:  func() error { _, err := visionocr.New(nil); return err },
			mustX: func() any { return visionocr.MustNew(nil) },
			want:  []string{"visionocr", "nil"},
		},
		{
			name: "visionocr.New negative max tokens",
			newX: func() error {
				_, err := visionocr.New(model, visionocr.WithOptions(llm.Options{MaxTokens: -1}))
				return err
			},
			mustX: func() any { return visionocr.MustNew(model, visionocr.WithOptions(llm.Options{MaxTokens: -1})) },
			want:  []string{"visionocr", "-1"},
		},
		// tools
		{
			name:  "tools.New empty name",
			newX:  func() error { _, err := tools.New("", "echo", echo); return err },
			mustX: func() any { return tools.MustNew("", "echo", echo) },
			want:  []string{"tools", "name"},
		},
		{
			name:  "tools.New negative timeout",
			newX:  func() error { _, err := tools.New("echo", "echo", echo, tools.WithTimeout(-time.Second)); return err },
			mustX: func() any { return tools.MustNew("echo", "echo", echo, tools.WithTimeout(-time.Second)) },
			want:  []string{"tools", "-1s"},
		},
		{
			name: "tools.NewToolset duplicate names",
			newX: func() error {
				_, err := tools.NewToolset(tools.MustNew("echo", "echo", echo), tools.MustNew("echo", "again", echo))
				return err
			},
			mustX: func() any {
				return tools.MustToolset(tools.MustNew("echo", "echo", echo), tools.MustNew("echo", "again", echo))
			},
			want: []string{"tools", "echo"},
		},
		{
			name:  "tools.NewAgent zero max steps",
			newX:  func() error { _, err := tools.NewAgent(model, tools.MustToolset(), tools.WithMaxSteps(0)); return err },
			mustX: func() any { return tools.MustAgent(model, tools.MustToolset(), tools.WithMaxSteps(0)) },
			want:  []string{"tools", "WithMaxSteps", "0"},
		},
		{
			name:  "tools.NewAgent nil model",
			newX:  func() error { _, err := tools.NewAgent(nil, tools.MustToolset()); return err },
			mustX: func() any { return tools.MustAgent(nil, tools.MustToolset()) },
			want:  []string{"tools", "nil"},
		},
		// memory
		{
			name:  "memory.NewWindow zero size",
			newX:  func() error { _, err := memory.NewWindow(store, 0); return err },
			mustX: func() any { return memory.MustWindow(store, 0) },
			want:  []string{"memory", "0"},
		},
		{
			name:  "memory.NewBounded negative budget",
			newX:  func() error { _, err := memory.NewBounded(store, -10); return err },
			mustX: func() any { return memory.MustBounded(store, -10) },
			want:  []string{"memory", "-10"},
		},
		{
			name:  "memory.NewSummary negative KeepRecent",
			newX:  func() error { _, err := memory.NewSummary(store, model, 100, memory.KeepRecent(-2)); return err },
			mustX: func() any { return memory.MustSummary(store, model, 100, memory.KeepRecent(-2)) },
			want:  []string{"memory", "-2"},
		},
		{
			name:  "memory.NewChat nil memory",
			newX:  func() error { _, err := memory.NewChat(model, nil); return err },
			mustX: func() any { return memory.Chat(model, nil) },
			want:  []string{"memory", "nil"},
		},
		{
			name: "memory.NewChat top_p above 1",
			newX: func() error {
				_, err := memory.NewChat(model, store, memory.WithOptions(llm.Options{TopP: ptr(2.0)}))
				return err
			},
			mustX: func() any { return memory.Chat(model, store, memory.WithOptions(llm.Options{TopP: ptr(2.0)})) },
			want:  []string{"memory", "top_p", "2"},
		},
		{
			name: "tools.NewAgent temperature NaN",
			newX: func() error {
				_, err := tools.NewAgent(model, tools.MustToolset(), tools.WithOptions(llm.Options{Temperature: ptr(math.NaN())}))
				return err
			},
			mustX: func() any {
				return tools.MustAgent(model, tools.MustToolset(), tools.WithOptions(llm.Options{Temperature: ptr(math.NaN())}))
			},
			want: []string{"tools", "temperature", "NaN"},
		},
		// memory/pgmemory
		{
			name: "pgmemory.New nil pool",
			newX: func() error { _, err := pgmemory.New(ctx, nil); return err },
			want: []string{"pgmemory", "nil pool"},
		},
		{
			name: "pgmemory.New bad table name",
			newX: func() error { _, err := pgmemory.New(ctx, lazyPool(), pgmemory.Table("Bad-Name")); return err },
			want: []string{"pgmemory", "Bad-Name"},
		},
		// retrieval
		{
			name:  "retrieval.NewHashEmbedder zero dimension",
			newX:  func() error { _, err := retrieval.NewHashEmbedder(0); return err },
			mustX: func() any { return retrieval.MustHashEmbedder(0) },
			want:  []string{"retrieval", "0"},
		},
		{
			name:  "retrieval.NewRecursiveSplitter overlap past size",
			newX:  func() error { _, err := retrieval.NewRecursiveSplitter(10, 20); return err },
			mustX: func() any { return retrieval.MustRecursiveSplitter(10, 20) },
			want:  []string{"retrieval", "20"},
		},
		{
			name:  "retrieval.NewMarkdownSplitter zero size",
			newX:  func() error { _, err := retrieval.NewMarkdownSplitter(0, 0); return err },
			mustX: func() any { return retrieval.MustMarkdownSplitter(0, 0) },
			want:  []string{"retrieval", "0"},
		},
		{
			name:  "retrieval.NewMemoryStore negative dimensions",
			newX:  func() error { _, err := retrieval.NewMemoryStore(retrieval.MemoryDimensions(-4)); return err },
			mustX: func() any { return retrieval.MustMemoryStore(retrieval.MemoryDimensions(-4)) },
			want:  []string{"retrieval", "-4"},
		},
		{
			name:  "retrieval.Retriever zero k",
			mustX: func() any { return retrieval.Retriever(retrieval.MustHashEmbedder(8), retrieval.MustMemoryStore(), 0) },
			want:  []string{"retrieval", "0"},
		},
		// retrieval/pgvector
		{
			name: "pgvector.New nil pool",
			newX: func() error { _, err := pgvector.New(ctx, nil, "docs", 8); return err },
			want: []string{"pgvector", "nil pool"},
		},
		{
			name: "pgvector.New zero batch size",
			newX: func() error { _, err := pgvector.New(ctx, lazyPool(), "docs", 8, pgvector.BatchSize(0)); return err },
			want: []string{"pgvector", "0"},
		},
		// chain/serve
		{
			name:  "serve.NewEndpoint nil chain",
			newX:  func() error { _, err := serve.NewEndpoint(nilChain); return err },
			mustX: func() any { return serve.MustEndpoint(nilChain) },
			want:  []string{"serve", "nil"},
		},
		{
			name:  "serve.NewEndpoint negative body limit",
			newX:  func() error { _, err := serve.NewEndpoint(ok, serve.WithMaxBodyBytes(-1)); return err },
			mustX: func() any { return serve.MustEndpoint(ok, serve.WithMaxBodyBytes(-1)) },
			want:  []string{"serve", "-1"},
		},
		{
			name: "serve.NewEndpoint input without a schema",
			newX: func() error {
				_, err := serve.NewEndpoint(chain.Pure(func(noFunc) string { return "" }))
				return err
			},
			mustX: func() any { return serve.MustEndpoint(chain.Pure(func(noFunc) string { return "" })) },
			want:  []string{"serve", "func"},
		},
		{
			name:  "serve.NewMux negative ready timeout",
			newX:  func() error { _, err := serve.NewMux(serve.WithReadyTimeout(-time.Second)); return err },
			mustX: func() any { return serve.MustMux(serve.WithReadyTimeout(-time.Second)) },
			want:  []string{"serve", "-1s"},
		},
		// chain/prom
		{
			name:  "prom.NewHook bad namespace",
			newX:  func() error { _, err := prom.NewHook(prom.Namespace("my-app")); return err },
			mustX: func() any { return prom.MustHook(prom.Namespace("my-app")) },
			want:  []string{"prom", "my-app"},
		},
		{
			name:  "prom.NewHook unsorted buckets",
			newX:  func() error { _, err := prom.NewHook(prom.DurationBuckets([]float64{2, 1})); return err },
			mustX: func() any { return prom.MustHook(prom.DurationBuckets([]float64{2, 1})) },
			want:  []string{"prom", "bucket"},
		},
		{
			name: "prom.NewHook bad const label",
			newX: func() error {
				_, err := prom.NewHook(prom.ConstLabels(prometheus.Labels{"bad-label": "x"}))
				return err
			},
			mustX: func() any { return prom.MustHook(prom.ConstLabels(prometheus.Labels{"bad-label": "x"})) },
			want:  []string{"prom", "bad-label"},
		},
		{
			name:  "prom.NewDriftCollector nil source",
			newX:  func() error { _, err := prom.NewDriftCollector("classifier", nil); return err },
			mustX: func() any { return prom.MustDriftCollector("classifier", nil) },
			want:  []string{"prom", "nil"},
		},
		// chain/drift
		{
			name:  "drift.NewMonitor zero window",
			newX:  func() error { _, err := drift.NewMonitor(extract, ref, drift.Window(0)); return err },
			mustX: func() any { return drift.MustMonitor(extract, ref, drift.Window(0)) },
			want:  []string{"drift", "window", "0"},
		},
		{
			name:  "drift.NewMonitor nil extractor",
			newX:  func() error { _, err := drift.NewMonitor[float64](nil, ref); return err },
			mustX: func() any { return drift.MustMonitor[float64](nil, ref) },
			want:  []string{"drift", "nil"},
		},
		{
			name:  "drift.NewMonitor negative z threshold",
			newX:  func() error { _, err := drift.NewMonitor(extract, ref, drift.ZThreshold(-3)); return err },
			mustX: func() any { return drift.MustMonitor(extract, ref, drift.ZThreshold(-3)) },
			want:  []string{"drift", "-3"},
		},
		// chain/rollout
		{
			name:  "rollout.NewShadow nil challenger",
			newX:  func() error { _, err := rollout.NewShadow(ok, nilChain, shadowRecord); return err },
			mustX: func() any { return rollout.MustShadow(ok, nilChain, shadowRecord) },
			want:  []string{"rollout", "nil"},
		},
		{
			name:  "rollout.NewShadow zero limit",
			newX:  func() error { _, err := rollout.NewShadow(ok, ok, shadowRecord, rollout.ShadowLimit(0)); return err },
			mustX: func() any { return rollout.MustShadow(ok, ok, shadowRecord, rollout.ShadowLimit(0)) },
			want:  []string{"rollout", "0"},
		},
		{
			name: "rollout.NewSplit negative weight",
			newX: func() error {
				_, err := rollout.NewSplit([]rollout.SplitArm[string, string]{rollout.Arm("a", ok, -1)})
				return err
			},
			mustX: func() any { return rollout.MustSplit([]rollout.SplitArm[string, string]{rollout.Arm("a", ok, -1)}) },
			want:  []string{"rollout", "-1"},
		},
		// chain/eval: the functions take options and fail before running
		{
			name: "eval.Evaluate zero concurrency",
			newX: func() error { _, err := eval.Evaluate(ctx, ok, data, eval.Concurrency(0)); return err },
			want: []string{"eval", "concurrency", "0"},
		},
		{
			name: "eval.Evaluate confidence above 1",
			newX: func() error { _, err := eval.Evaluate(ctx, ok, data, eval.Confidence(1.5)); return err },
			want: []string{"eval", "1.5"},
		},
		// chain combinators
		{
			name:  "chain.Retry zero attempts",
			mustX: func() any { return chain.Retry(ok, chain.Attempts(0)) },
			want:  []string{"chain", "0"},
		},
		{
			name:  "chain.Timeout zero",
			mustX: func() any { return chain.Timeout(ok, 0) },
			want:  []string{"chain", "0"},
		},
		{
			name: "chain.Vote quorum above members",
			mustX: func() any {
				return chain.Vote(chain.Majority[string](), []chain.Voter[string, string]{chain.Member("a", ok)}, chain.Quorum(3))
			},
			want: []string{"chain", "3"},
		},
		{
			name:  "chain.Parallel nil branch",
			mustX: func() any { return chain.Parallel([]chain.Chain[string, string]{ok, nilChain}) },
			want:  []string{"chain", "nil"},
		},
		{
			name:  "chain.Named empty name",
			mustX: func() any { return chain.Named("", ok) },
			want:  []string{"chain", "name"},
		},
		{
			name:  "chain.Breaker zero threshold",
			mustX: func() any { return chain.Breaker(ok, chain.Threshold(0)) },
			want:  []string{"chain", "0"},
		},
	}
}

// TestConvention checks, for every package with constructors, that a bad
// configuration value is (a) an error of NewX matching chain.ErrConfig,
// (b) the same error out of chain.Build around MustX or the combinator,
// not a re-panic, and (c) a message naming the package and the value.
func TestConvention(t *testing.T) {
	for _, c := range conventions() {
		t.Run(c.name, func(t *testing.T) {
			var newMsg string
			if c.newX != nil {
				var err error
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("NewX panicked: %v", r)
						}
					}()
					err = c.newX()
				}()
				if !errors.Is(err, chain.ErrConfig) {
					t.Fatalf("NewX error = %v (%T), want one matching chain.ErrConfig", err, err)
				}
				newMsg = err.Error()
				checkMessage(t, "NewX", newMsg, c.want)
			}
			if c.mustX != nil {
				var err error
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("chain.Build re-panicked: %v (%T)", r, r)
						}
					}()
					_, err = chain.Build(c.mustX)
				}()
				if !errors.Is(err, chain.ErrConfig) {
					t.Fatalf("chain.Build error = %v (%T), want one matching chain.ErrConfig", err, err)
				}
				if newMsg != "" && err.Error() != newMsg {
					t.Errorf("chain.Build error = %q, NewX error = %q: want the same", err, newMsg)
				}
				checkMessage(t, "chain.Build", err.Error(), c.want)
			}
		})
	}
}

func checkMessage(t *testing.T, form, msg string, want []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("%s error %q does not mention %q", form, msg, w)
		}
	}
}

// TestConventionCount keeps the table wide.
func TestConventionCount(t *testing.T) {
	if n := len(conventions()); n < 30 {
		t.Fatalf("%d cases, want 30 or more", n)
	}
}
