package drift

import (
	"context"
	"maps"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/internal/stats"
)

// Monitor watches the features of a stream of values (a model's
// inputs) for drift from a Reference, over a sliding window of the latest
// values; see NewMonitor. It is safe for concurrent use.
type Monitor[T any] struct {
	extract func(T) Features
	cfg     config

	mu       sync.Mutex
	head     int // where the next value goes
	count    int // values in the window
	times    []time.Time
	nums     []*numTrack
	cats     []*catTrack
	observed uint64
	alerts   uint64
}

// numTrack is the window of one numeric feature.
type numTrack struct {
	name     string
	ref      NumberReference
	vals     []float64 // x - ref.Mean; NaN when missing
	sum, ss  float64   // of vals in the window
	n        int       // present values in the window
	missing  int
	removed  int // removals since sum and ss were recomputed
	missTot  uint64
	active   [len(rules)]bool
	alertTot [len(rules)]uint64
}

// catTrack is the window of one categorical feature.
type catTrack struct {
	name     string
	ref      CategoryReference
	known    map[string]struct{}
	vals     []uint8 // catKnown, catMissing or catUnseen
	missing  int
	unseen   int
	missTot  uint64
	unseenT  uint64
	reported map[string]struct{} // unseen values already alerted
	active   [len(rules)]bool
	alertTot [len(rules)]uint64
}

const (
	catKnown uint8 = iota
	catMissing
	catUnseen
)

// NewMonitor returns a monitor of the features extract finds in each
// value, against ref: for every numeric feature the reference names, its
// window mean (RuleMean), standard deviation (RuleStd) and missing rate
// (RuleMissing); for every categorical one, its missing rate and the
// values the reference never had (RuleUnseen). A check raises an Alert
// when it starts failing, not again while it keeps failing, and again
// once it has passed in between; to pass again its statistic must come
// back within three quarters of its threshold (|z| <= 0.75·ZThreshold,
// a missing rate within 0.75·MissingTolerance of the reference's), so a
// statistic hovering at the threshold raises one alert, not a stream.
// Alerts go to OnAlert and, as EventAlert events, to the hooks of the
// context Observe is given. Snapshot reports the window's statistics and
// the running totals (chain/prom exports them to Prometheus).
//
// An extractor that panics counts as one that found no feature: every
// feature of that value is missing.
//
// NewMonitor fails, with an error matching chain.ErrConfig, on a nil
// extractor, an invalid option, or a reference with a mean or standard
// deviation that is not a finite number (a negative standard deviation
// included) or a missing rate outside [0, 1].
func NewMonitor[T any](extract func(T) Features, ref Reference, opts ...Option) (*Monitor[T], error) {
	if extract == nil {
		return nil, configError("NewMonitor", "nil extractor")
	}
	cfg := config{window: 1000, minSamples: 50, z: 4, stdRatio: 1.5, missingTol: 0.05, clock: realClock{}, maxUnseen: 100}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	if err := ref.validate(); err != nil {
		return nil, err
	}
	cfg.minSamples = min(cfg.minSamples, cfg.window) // else the checks could never run
	m := &Monitor[T]{extract: extract, cfg: cfg}
	if cfg.maxAge > 0 {
		m.times = make([]time.Time, cfg.window)
	}
	for _, name := range slices.Sorted(maps.Keys(ref.Numbers)) {
		m.nums = append(m.nums, &numTrack{name: name, ref: ref.Numbers[name], vals: make([]float64, cfg.window)})
	}
	for _, name := range slices.Sorted(maps.Keys(ref.Categories)) {
		r := ref.Categories[name]
		known := make(map[string]struct{}, len(r.Values))
		for _, v := range r.Values {
			known[v] = struct{}{}
		}
		m.cats = append(m.cats, &catTrack{name: name, ref: r, known: known, vals: make([]uint8, cfg.window), reported: map[string]struct{}{}})
	}
	return m, nil
}

// MustMonitor is NewMonitor that panics with its error instead of
// returning it (chain.Build turns the panic back into the error).
func MustMonitor[T any](extract func(T) Features, ref Reference, opts ...Option) *Monitor[T] {
	m, err := NewMonitor(extract, ref, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Observe adds a value to the window, runs the checks and returns the
// alerts they raised (usually none), after passing each to OnAlert and to
// ctx's hooks.
func (m *Monitor[T]) Observe(ctx context.Context, v T) []Alert {
	f := m.features(v)
	m.mu.Lock()
	alerts := m.add(f)
	m.mu.Unlock()
	for i := range alerts {
		a := alerts[i]
		if m.cfg.onAlert != nil {
			m.cfg.onAlert(a)
		}
		chain.Emit(ctx, chain.Event{Kind: EventAlert, Name: a.Feature + "/" + string(a.Rule), Size: a.Window, Err: &a})
	}
	return alerts
}

func (m *Monitor[T]) features(v T) (f Features) {
	defer func() {
		if recover() != nil {
			f = Features{}
		}
	}()
	return m.extract(v)
}

// add records one value's features and returns the alerts raised. It
// runs under m.mu.
func (m *Monitor[T]) add(f Features) []Alert {
	var now time.Time // read only when needed: a clock read costs as much as the rest
	size := m.cfg.window
	if m.cfg.maxAge > 0 {
		now = m.cfg.clock.Now()
		cutoff := now.Add(-m.cfg.maxAge)
		for m.count > 0 && m.times[m.oldest()].Before(cutoff) {
			m.evict()
		}
		m.times[m.head] = now
	}
	if m.count == size {
		m.evict()
	}
	var alerts []Alert
	i := m.head
	for _, t := range m.nums {
		x, ok := present(f.Numbers, t.name)
		if !ok {
			t.vals[i] = math.NaN()
			t.missing++
			t.missTot++
			continue
		}
		// Sums of differences from the reference mean keep the variance
		// accurate when values are large and close together.
		d := x - t.ref.Mean
		t.vals[i] = d
		t.sum += d
		t.ss += d * d
		t.n++
	}
	for _, t := range m.cats {
		v := f.Categories[t.name]
		_, known := t.known[v]
		switch {
		case v == "":
			t.vals[i] = catMissing
			t.missing++
			t.missTot++
		case known:
			t.vals[i] = catKnown
		default:
			t.vals[i] = catUnseen
			t.unseen++
			t.unseenT++
			if _, seen := t.reported[v]; !seen && len(t.reported) < m.cfg.maxUnseen {
				t.reported[v] = struct{}{}
				t.alertTot[ruleIndex(RuleUnseen)]++
				alerts = append(alerts, Alert{Feature: t.name, Rule: RuleUnseen, Value: float64(t.unseen), Category: v})
			}
		}
	}
	m.head = (m.head + 1) % size
	m.count++
	m.observed++
	if m.count >= m.cfg.minSamples {
		alerts = m.check(alerts)
	}
	if len(alerts) > 0 && now.IsZero() {
		now = m.cfg.clock.Now()
	}
	for i := range alerts {
		alerts[i].Window = m.count
		alerts[i].At = now
	}
	m.alerts += uint64(len(alerts))
	return alerts
}

func (m *Monitor[T]) oldest() int { return (m.head - m.count + m.cfg.window) % m.cfg.window }

// evict drops the oldest value from the window.
func (m *Monitor[T]) evict() {
	i := m.oldest()
	for _, t := range m.nums {
		x := t.vals[i]
		if math.IsNaN(x) {
			t.missing--
			continue
		}
		t.sum -= x
		t.ss -= x * x
		t.n--
		// Adding and subtracting lets rounding errors pile up: start
		// afresh from the window once per window's worth of removals.
		if t.removed++; t.removed >= m.cfg.window {
			t.removed = 0
			t.sum, t.ss = 0, 0
			for k := range m.count - 1 {
				if y := t.vals[(i+1+k)%m.cfg.window]; !math.IsNaN(y) {
					t.sum += y
					t.ss += y * y
				}
			}
		}
	}
	for _, t := range m.cats {
		switch t.vals[i] {
		case catMissing:
			t.missing--
		case catUnseen:
			t.unseen--
		}
	}
	m.count--
}

// check runs the windowed checks and appends the alerts of those that
// started failing.
func (m *Monitor[T]) check(alerts []Alert) []Alert {
	// A check fails when its statistic passes the threshold, and passes
	// again only once it is back within hysteresis of it, so a statistic
	// hovering at the threshold raises one alert, not one per input.
	check := func(active *[len(rules)]bool, tot *[len(rules)]uint64, r Rule, excess float64, a Alert) {
		k := ruleIndex(r)
		switch {
		case excess > 1 && !active[k]:
			active[k] = true
			tot[k]++
			alerts = append(alerts, a)
		case excess <= hysteresis:
			active[k] = false
		}
	}
	for _, t := range m.nums {
		mean, std := t.stats()
		if t.n >= 2 {
			z := zScore(mean, t.ref.Mean, t.ref.Std, t.n)
			check(&t.active, &t.alertTot, RuleMean, math.Abs(z)/m.cfg.z,
				Alert{Feature: t.name, Rule: RuleMean, Value: mean, Reference: t.ref.Mean, Score: z})
			r := stdRatio(std, t.ref.Std)
			spread := math.Max(r, 1/r) // how many times too wide or too narrow
			check(&t.active, &t.alertTot, RuleStd, (spread-1)/(m.cfg.stdRatio-1),
				Alert{Feature: t.name, Rule: RuleStd, Value: std, Reference: t.ref.Std, Score: r})
		}
		m.checkMissing(check, &t.active, &t.alertTot, t.name, t.missing, t.ref.MissingRate)
	}
	for _, t := range m.cats {
		m.checkMissing(check, &t.active, &t.alertTot, t.name, t.missing, t.ref.MissingRate)
	}
	return alerts
}

// hysteresis is the share of its threshold a failing check's statistic
// must fall back to before the check passes again.
const hysteresis = 0.75

type checkFunc func(active *[len(rules)]bool, tot *[len(rules)]uint64, r Rule, excess float64, a Alert)

func (m *Monitor[T]) checkMissing(check checkFunc, active *[len(rules)]bool, tot *[len(rules)]uint64, name string, missing int, refRate float64) {
	rate := stats.Ratio(missing, m.count)
	excess := (rate - refRate) / m.cfg.missingTol
	if m.cfg.missingTol == 0 {
		excess = 0
		if rate > refRate {
			excess = math.Inf(1)
		}
	}
	check(active, tot, RuleMissing, excess, Alert{Feature: name, Rule: RuleMissing, Value: rate, Reference: refRate, Score: rate - refRate})
}

// stats returns the window mean and sample standard deviation.
func (t *numTrack) stats() (mean, std float64) {
	if t.n == 0 {
		return 0, 0
	}
	n := float64(t.n)
	mean = t.ref.Mean + t.sum/n
	if t.n < 2 {
		return mean, 0
	}
	v := (t.ss - t.sum*t.sum/n) / (n - 1)
	return mean, math.Sqrt(math.Max(v, 0))
}

// zScore is the z-score of a window mean of n values against a reference
// mean and standard deviation; with a reference std of 0 any difference is
// as far as a float goes.
func zScore(mean, refMean, refStd float64, n int) float64 {
	d := mean - refMean
	if refStd > 0 {
		return d / (refStd / math.Sqrt(float64(n)))
	}
	if math.Abs(d) <= 1e-12*math.Max(1, math.Abs(refMean)) {
		return 0
	}
	return math.Copysign(math.MaxFloat64, d)
}

// stdRatio is std/refStd, 1 when both are 0 and as large as a float goes
// when only the reference is 0.
func stdRatio(std, refStd float64) float64 {
	switch {
	case refStd > 0:
		return std / refStd
	case std <= 1e-12:
		return 1
	}
	return math.MaxFloat64
}
