package drift_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/drift"

	"github.com/chorus-go/chorus/chain/chaintest"
)

// doc is a model input with two numeric features (pages may be missing:
// NaN) and one categorical.
type doc struct {
	Amount float64
	Pages  float64
	Lang   string
}

func docFeatures(d doc) drift.Features {
	return drift.Features{
		Numbers:    map[string]float64{"amount": d.Amount, "pages": d.Pages},
		Categories: map[string]string{"lang": d.Lang},
	}
}

// docs draws n inputs: amount ~ N(mean, sd), pages 1-5 missing with
// probability missing, lang from langs.
func docs(rng *rand.Rand, n int, mean, sd, missing float64, langs ...string) []doc {
	out := make([]doc, n)
	for i := range out {
		out[i] = doc{Amount: mean + sd*rng.NormFloat64(), Pages: float64(1 + rng.IntN(5)), Lang: langs[rng.IntN(len(langs))]}
		if rng.Float64() < missing {
			out[i].Pages = math.NaN()
		}
	}
	return out
}

type alertLog struct {
	mu     sync.Mutex
	alerts []drift.Alert
}

func (l *alertLog) add(a drift.Alert) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.alerts = append(l.alerts, a)
}

func (l *alertLog) count(feature string, rule drift.Rule) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, a := range l.alerts {
		if a.Feature == feature && a.Rule == rule {
			n++
		}
	}
	return n
}

func newDocMonitor(t *testing.T, log *alertLog, opts ...drift.Option) *drift.Monitor[doc] {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	ref := drift.ReferenceFrom(docs(rng, 5000, 100, 10, 0.02, "en", "fr", "de"), docFeatures)
	if r := ref.Numbers["amount"]; math.Abs(r.Mean-100) > 1 || math.Abs(r.Std-10) > 0.5 {
		t.Fatalf("reference amount = %+v", r)
	}
	if r := ref.Numbers["pages"]; math.Abs(r.MissingRate-0.02) > 0.01 {
		t.Fatalf("reference pages = %+v", r)
	}
	if r := ref.Categories["lang"]; len(r.Values) != 3 || r.Values[0] != "de" {
		t.Fatalf("reference lang = %+v", r)
	}
	return drift.MustMonitor(docFeatures, ref, append([]drift.Option{drift.OnAlert(log.add)}, opts...)...)
}

func TestDriftStableStreamRaisesNothing(t *testing.T) {
	var log alertLog
	m := newDocMonitor(t, &log, drift.Window(500))
	ctx := context.Background()
	for _, d := range docs(rand.New(rand.NewPCG(3, 4)), 20000, 100, 10, 0.02, "en", "fr", "de") {
		m.Observe(ctx, d)
	}
	if len(log.alerts) != 0 {
		t.Errorf("stable stream raised %d alerts, first %v", len(log.alerts), log.alerts[0].Error())
	}
	s := m.Snapshot()
	if s.Window != 500 || s.Observed != 20000 || s.Alerts != 0 {
		t.Errorf("snapshot window %d observed %d alerts %d", s.Window, s.Observed, s.Alerts)
	}
	amount := s.Numbers[0]
	if amount.Feature != "amount" || math.Abs(amount.Mean-100) > 2 || math.Abs(amount.Std-10) > 1.5 || math.Abs(amount.Z) > 4 {
		t.Errorf("amount = %+v", amount)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Errorf("snapshot does not marshal: %v", err)
	}
}

func TestDriftShiftedStreamRaisesOnce(t *testing.T) {
	var log alertLog
	var events []chain.Event
	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(ctx context.Context, n chain.NodeInfo, e chain.Event) {
		if e.Kind == drift.EventAlert {
			events = append(events, e)
		}
	}})
	m := newDocMonitor(t, &log, drift.Window(500))
	model := drift.Watch(chain.Pure(func(d doc) string { return d.Lang }), m)
	rng := rand.New(rand.NewPCG(5, 6))
	stream := docs(rng, 1000, 100, 10, 0.02, "en", "fr", "de")
	// Then the amounts rise by half a standard deviation.
	stream = append(stream, docs(rng, 2000, 105, 10, 0.02, "en", "fr", "de")...)
	for i, d := range stream {
		out, err := model.Run(ctx, d)
		if err != nil || out != d.Lang {
			t.Fatalf("the monitored chain answered %q, %v", out, err)
		}
		if i == 999 && len(log.alerts) != 0 {
			t.Fatalf("alerts before the shift: %v", log.alerts)
		}
	}
	if n := log.count("amount", drift.RuleMean); n != 1 {
		t.Errorf("%d mean alerts for amount, want one while the shift lasts", n)
	}
	if len(log.alerts) != 1 {
		t.Errorf("alerts = %v", log.alerts)
	}
	a := log.alerts[0]
	if a.Score < 4 || a.Reference < 99 || a.Reference > 101 || a.Window != 500 {
		t.Errorf("alert = %+v", a)
	}
	if len(events) != 1 || events[0].Name != "amount/mean" || events[0].Size != 500 {
		t.Fatalf("drift events = %+v", events)
	}
	var ea *drift.Alert
	if !errors.As(events[0].Err, &ea) || ea.Feature != "amount" {
		t.Errorf("event error = %v", events[0].Err)
	}
	s := m.Snapshot()
	if s.Numbers[0].Alerts[drift.RuleMean] != 1 || len(s.Numbers[0].Active) != 1 || s.Numbers[0].Active[0] != drift.RuleMean {
		t.Errorf("amount snapshot = %+v", s.Numbers[0])
	}

	// Back to normal, the check passes again; a new shift alerts again.
	for _, d := range docs(rng, 1000, 100, 10, 0.02, "en", "fr", "de") {
		m.Observe(ctx, d)
	}
	if active := m.Snapshot().Numbers[0].Active; len(active) != 0 {
		t.Errorf("still active after recovery: %v", active)
	}
	for _, d := range docs(rng, 1000, 95, 10, 0.02, "en", "fr", "de") {
		m.Observe(ctx, d)
	}
	if n := log.count("amount", drift.RuleMean); n != 2 {
		t.Errorf("%d mean alerts after a second shift, want 2", n)
	}
}

func TestDriftStdMissingAndUnseen(t *testing.T) {
	var log alertLog
	m := newDocMonitor(t, &log, drift.Window(300))
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 8))
	// Same mean, twice the spread; pages missing in 30%; Spanish and
	// Italian documents appear, many times each.
	for _, d := range docs(rng, 1500, 100, 20, 0.3, "en", "fr", "de", "es", "it") {
		m.Observe(ctx, d)
	}
	if n := log.count("amount", drift.RuleStd); n != 1 {
		t.Errorf("%d std alerts, want 1", n)
	}
	if n := log.count("pages", drift.RuleMissing); n != 1 {
		t.Errorf("%d missing alerts, want 1", n)
	}
	if n := log.count("lang", drift.RuleUnseen); n != 2 {
		t.Errorf("%d unseen alerts, want one per new language (2)", n)
	}
	s := m.Snapshot()
	lang := s.Categories[0]
	if lang.Feature != "lang" || lang.UnseenTotal < 400 || lang.Unseen == 0 || lang.Alerts[drift.RuleUnseen] != 2 {
		t.Errorf("lang = %+v", lang)
	}
	pages := s.Numbers[1]
	if pages.Feature != "pages" || pages.MissingRate < 0.2 || pages.MissingTotal < 350 {
		t.Errorf("pages = %+v", pages)
	}
}

func TestDriftMissingFeatureAndPanickingExtractor(t *testing.T) {
	ref := drift.Reference{
		Numbers:    map[string]drift.NumberReference{"x": {Mean: 0, Std: 1}},
		Categories: map[string]drift.CategoryReference{"c": {Values: []string{"a"}}},
	}
	var log alertLog
	m := drift.MustMonitor(func(n int) drift.Features {
		if n < 0 {
			panic("bad input")
		}
		return drift.Features{Numbers: map[string]float64{"x": float64(n % 3)}} // c never present
	}, ref, drift.MinSamples(10), drift.Window(20), drift.MissingTolerance(0.5), drift.OnAlert(log.add))
	for i := range 10 {
		m.Observe(context.Background(), i)
	}
	if n := log.count("c", drift.RuleMissing); n != 1 {
		t.Errorf("%d missing alerts for c, want 1", n)
	}
	alerts := m.Observe(context.Background(), -1) // counts as all missing
	if len(alerts) != 0 {
		t.Errorf("alerts = %v", alerts)
	}
	if s := m.Snapshot(); s.Numbers[0].Missing != 1 || s.Categories[0].Missing != 11 {
		t.Errorf("snapshot = %+v", s)
	}
}

func TestDriftTimeWindow(t *testing.T) {
	clk := chaintest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ref := drift.Reference{Numbers: map[string]drift.NumberReference{"x": {Mean: 10, Std: 1}}}
	var log alertLog
	m := drift.MustMonitor(func(x float64) drift.Features {
		return drift.Features{Numbers: map[string]float64{"x": x}}
	}, ref, drift.Window(1000), drift.WindowDuration(time.Minute), drift.MinSamples(5), drift.Clock(clk), drift.OnAlert(log.add))
	ctx := context.Background()
	for i := range 100 {
		m.Observe(ctx, 20+float64(i%2)) // far off: alerts at once
		clk.Advance(100 * time.Millisecond)
	}
	if log.count("x", drift.RuleMean) != 1 {
		t.Fatalf("alerts = %v", log.alerts)
	}
	clk.Advance(2 * time.Minute) // every value so far is now too old
	for i := range 10 {
		m.Observe(ctx, 10+2*float64(i%2)-1)
	}
	s := m.Snapshot()
	if s.Window != 10 || s.Observed != 110 {
		t.Errorf("window %d observed %d, want 10 and 110", s.Window, s.Observed)
	}
	if math.Abs(s.Numbers[0].Mean-10) > 1e-9 || len(s.Numbers[0].Active) != 0 {
		t.Errorf("x = %+v", s.Numbers[0])
	}
	if !log.alerts[0].At.Equal(time.Date(2026, 1, 1, 0, 0, 0, 400_000_000, time.UTC)) {
		t.Errorf("alert at %v, want the fifth input's time", log.alerts[0].At)
	}
}

// Values far from zero but close together keep an exact standard
// deviation over a long stream (sums are taken around the reference
// mean and recomputed once per window).
func TestDriftStdStaysAccurate(t *testing.T) {
	ref := drift.Reference{Numbers: map[string]drift.NumberReference{"x": {Mean: 1e9, Std: 0.5}}}
	m := drift.MustMonitor(func(x float64) drift.Features {
		return drift.Features{Numbers: map[string]float64{"x": x}}
	}, ref, drift.Window(100))
	for i := range 100_000 {
		m.Observe(context.Background(), 1e9+float64(i%2)) // std of 0,1 alternating = 0.50252
	}
	x := m.Snapshot().Numbers[0]
	near(t, "std", x.Std, math.Sqrt(25.0/99), 1e-6)
	near(t, "mean", x.Mean, 1e9+0.5, 1e-6)
}
