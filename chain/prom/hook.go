package prom

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-go/chorus/chain"
)

// Hook is a chain.Hook that records Prometheus metrics of every node a
// chain runs, and a prometheus.Collector of them. Install it with
// chain.WithHooks and register it on a registry:
//
//	h := prom.MustHook()
//	reg.MustRegister(h)
//	ctx = chain.WithHooks(ctx, h)
//
// The metrics, with the node's path ("analyse/classify/gpt") as label:
//
//	chorus_node_duration_seconds{node,kind}        histogram of call durations
//	chorus_node_in_flight{node,kind}               calls running now
//	chorus_node_errors_total{node,kind,reason}     failed calls; reason is canceled,
//	                                               timeout, circuit_open, no_quorum,
//	                                               panic, unknown_route or error
//	chorus_retries_total{node}                     retries Retry made
//	chorus_breaker_state{node}                     0 closed, 1 open, 2 half-open
//	chorus_breaker_transitions_total{node,to}      breaker state changes
//	chorus_tokens_total{node,direction}            model tokens, input or output
//	chorus_batch_size{node}                        histogram of batched call sizes
//	chorus_events_total{node,event,name}           every event (route taken,
//	                                               fallback used, drift alert...)
//
// Only named nodes and combinators report to hooks, so the label values
// are bounded by the shape of the chain.
type Hook struct {
	duration    *prometheus.HistogramVec
	inflight    *prometheus.GaugeVec
	errs        *prometheus.CounterVec
	retries     *prometheus.CounterVec
	breaker     *prometheus.GaugeVec
	transitions *prometheus.CounterVec
	tokens      *prometheus.CounterVec
	batch       *prometheus.HistogramVec
	events      *prometheus.CounterVec

	nodes sync.Map // node path -> *nodeMetrics (a string key hashes fastest)
	kinds sync.Map // chain.NodeInfo -> *nodeMetrics, for a path seen with a second kind
}

// nodeMetrics are one node's metrics, looked up once.
type nodeMetrics struct {
	kind     chain.Kind
	duration prometheus.Observer
	inflight prometheus.Gauge
}

// NewHook returns a Hook; register it (it is a prometheus.Collector)
// before serving its metrics. It fails, with an error matching
// chain.ErrConfig, on an invalid option or when the options make metric
// or label names Prometheus rejects.
func NewHook(opts ...Option) (*Hook, error) {
	cfg, err := newConfig("NewHook", opts)
	if err != nil {
		return nil, err
	}
	ns, cl := cfg.namespace, cfg.constLabels
	h := &Hook{
		duration:    prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "node_duration_seconds", Help: "Duration of chain node calls.", Buckets: cfg.durationBuckets, ConstLabels: cl}, []string{"node", "kind"}),
		inflight:    prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "node_in_flight", Help: "Chain node calls running now.", ConstLabels: cl}, []string{"node", "kind"}),
		errs:        prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "node_errors_total", Help: "Chain node calls that failed, by reason.", ConstLabels: cl}, []string{"node", "kind", "reason"}),
		retries:     prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "retries_total", Help: "Retries made by Retry nodes.", ConstLabels: cl}, []string{"node"}),
		breaker:     prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "breaker_state", Help: "Circuit breaker state: 0 closed, 1 open, 2 half-open.", ConstLabels: cl}, []string{"node"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "breaker_transitions_total", Help: "Circuit breaker state changes, by new state.", ConstLabels: cl}, []string{"node", "to"}),
		tokens:      prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "tokens_total", Help: "Model tokens used, by direction (input or output).", ConstLabels: cl}, []string{"node", "direction"}),
		batch:       prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "batch_size", Help: "Items per batched call.", Buckets: cfg.batchBuckets, ConstLabels: cl}, []string{"node"}),
		events:      prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "events_total", Help: "Events reported by chain nodes, by kind and name.", ConstLabels: cl}, []string{"node", "event", "name"}),
	}
	if err := check("NewHook", h); err != nil {
		return nil, err
	}
	return h, nil
}

// MustHook is NewHook that panics with its error instead of returning it
// (chain.Build turns the panic back into the error).
func MustHook(opts ...Option) *Hook {
	return must(NewHook(opts...))
}

func (h *Hook) collectors() []prometheus.Collector {
	return []prometheus.Collector{h.duration, h.inflight, h.errs, h.retries, h.breaker, h.transitions, h.tokens, h.batch, h.events}
}

// Describe sends the descriptors of every metric of the hook.
func (h *Hook) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range h.collectors() {
		c.Describe(ch)
	}
}

// Collect sends the current value of every metric of the hook.
func (h *Hook) Collect(ch chan<- prometheus.Metric) {
	for _, c := range h.collectors() {
		c.Collect(ch)
	}
}

func (h *Hook) node(n chain.NodeInfo) *nodeMetrics {
	if m, ok := h.nodes.Load(n.Path); ok {
		if m := m.(*nodeMetrics); m.kind == n.Kind {
			return m
		}
		if m, ok := h.kinds.Load(n); ok {
			return m.(*nodeMetrics)
		}
	}
	kind := string(n.Kind)
	m := &nodeMetrics{
		kind:     n.Kind,
		duration: h.duration.WithLabelValues(n.Path, kind),
		inflight: h.inflight.WithLabelValues(n.Path, kind),
	}
	if n.Kind == chain.KindBreaker {
		h.breaker.WithLabelValues(n.Path).Set(float64(chain.Closed)) // a breaker starts closed
	}
	actual, loaded := h.nodes.LoadOrStore(n.Path, m)
	if !loaded || actual.(*nodeMetrics).kind == n.Kind {
		return actual.(*nodeMetrics)
	}
	actual, _ = h.kinds.LoadOrStore(n, m)
	return actual.(*nodeMetrics)
}

// Start counts the call as in flight.
func (h *Hook) Start(ctx context.Context, n chain.NodeInfo) context.Context {
	h.node(n).inflight.Inc()
	return ctx
}

// End records the call's duration and, if it failed, its error reason.
func (h *Hook) End(ctx context.Context, n chain.NodeInfo, r chain.NodeResult) {
	m := h.node(n)
	m.inflight.Dec()
	m.duration.Observe(r.Duration.Seconds())
	if r.Err != nil {
		h.errs.WithLabelValues(n.Path, string(n.Kind), Reason(r.Err)).Inc()
	}
}

// Event records retries, breaker changes, token usage and batch sizes,
// and counts every event by kind and name.
func (h *Hook) Event(ctx context.Context, n chain.NodeInfo, e chain.Event) {
	switch e.Kind {
	case chain.EventRetry:
		h.retries.WithLabelValues(n.Path).Inc()
	case chain.EventBreaker:
		h.breaker.WithLabelValues(n.Path).Set(float64(e.To))
		h.transitions.WithLabelValues(n.Path, e.To.String()).Inc()
	case chain.EventTokens:
		if e.InputTokens > 0 {
			h.tokens.WithLabelValues(n.Path, "input").Add(float64(e.InputTokens))
		}
		if e.OutputTokens > 0 {
			h.tokens.WithLabelValues(n.Path, "output").Add(float64(e.OutputTokens))
		}
	case chain.EventBatch:
		h.batch.WithLabelValues(n.Path).Observe(float64(e.Size))
	}
	name := e.Name
	if name == "" && e.Kind == chain.EventFallback {
		name = strconv.Itoa(e.Index)
	}
	h.events.WithLabelValues(n.Path, string(e.Kind), name).Inc()
}

// Reason classifies an error for the reason label: "canceled",
// "timeout", "circuit_open", "no_quorum", "panic", "unknown_route" or
// "error".
func Reason(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, chain.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, chain.ErrOpen):
		return "circuit_open"
	case errors.Is(err, chain.ErrNoQuorum):
		return "no_quorum"
	case errors.Is(err, chain.ErrPanic):
		return "panic"
	case errors.Is(err, chain.ErrUnknownRoute):
		return "unknown_route"
	}
	return "error"
}
