package grafana

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/drift"
	"github.com/chorus-go/chorus/chain/prom"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// board is the part of Grafana's dashboard model the tests read.
type board struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Query      json.RawMessage `json:"query"`
			Definition string          `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
	Annotations struct {
		List []struct {
			Name string `json:"name"`
			Expr string `json:"expr"`
		} `json:"list"`
	} `json:"annotations"`
}

type panel struct {
	ID         int    `json:"id"`
	Type       string `json:"type"`
	Title      string `json:"title"`
	Datasource *struct {
		Type string `json:"type"`
		UID  string `json:"uid"`
	} `json:"datasource"`
	GridPos struct{ H, W, X, Y int } `json:"gridPos"`
	Targets []struct {
		RefID  string `json:"refId"`
		Expr   string `json:"expr"`
		Legend string `json:"legendFormat"`
	} `json:"targets"`
}

func load(t *testing.T) board {
	t.Helper()
	var b board
	dec := json.NewDecoder(strings.NewReader(string(Dashboard())))
	if err := dec.Decode(&b); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	return b
}

// The dashboard's structure: a uid and title, panels with unique ids, a
// Prometheus datasource and queries each, laid out on Grafana's 24-column
// grid without overlapping.
func TestDashboardStructure(t *testing.T) {
	b := load(t)
	if b.UID == "" || b.Title == "" || len(b.Panels) == 0 {
		t.Fatalf("uid %q, title %q, %d panels", b.UID, b.Title, len(b.Panels))
	}
	ids := map[int]bool{}
	type cell struct{ x, y int }
	taken := map[cell]string{}
	for _, p := range b.Panels {
		if p.ID <= 0 || ids[p.ID] {
			t.Errorf("panel %q: id %d is not unique and positive", p.Title, p.ID)
		}
		ids[p.ID] = true
		g := p.GridPos
		if g.W < 1 || g.H < 1 || g.X < 0 || g.Y < 0 || g.X+g.W > 24 {
			t.Errorf("panel %q: gridPos %+v is off the 24-column grid", p.Title, g)
		}
		for x := g.X; x < g.X+g.W; x++ {
			for y := g.Y; y < g.Y+g.H; y++ {
				if other, ok := taken[cell{x, y}]; ok {
					t.Errorf("panel %q overlaps %q at (%d, %d)", p.Title, other, x, y)
				}
				taken[cell{x, y}] = p.Title
			}
		}
		if p.Type == "row" {
			continue
		}
		if p.Title == "" || p.Datasource == nil || p.Datasource.Type != "prometheus" || p.Datasource.UID == "" {
			t.Errorf("panel %d %q: no title or no Prometheus datasource", p.ID, p.Title)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no queries", p.Title)
		}
		refs := map[string]bool{}
		for _, q := range p.Targets {
			if q.Expr == "" || q.RefID == "" || refs[q.RefID] {
				t.Errorf("panel %q: query %q (refId %q) is empty or its refId repeats", p.Title, q.Expr, q.RefID)
			}
			refs[q.RefID] = true
		}
	}
}

// family is a metric family chain/prom exports: its type and labels.
type family struct {
	typ    dto.MetricType
	labels map[string]bool
}

// exported gathers every family chain/prom's collectors export, each
// exercised so that it has a series: the node hook, a drift collector,
// a version collector and a shadow collector.
func exported(t *testing.T) map[string]family {
	t.Helper()
	h, err := prom.NewHook()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := chain.NodeInfo{Path: "doc/classify", Name: "classify", Kind: chain.KindBreaker}
	h.Start(ctx, n)
	h.End(ctx, n, chain.NodeResult{Duration: time.Millisecond, Err: errors.New("x")})
	for _, e := range []chain.Event{
		{Kind: chain.EventRetry}, {Kind: chain.EventBreaker, To: chain.Open},
		{Kind: chain.EventTokens, InputTokens: 3, OutputTokens: 4}, {Kind: chain.EventBatch, Size: 8},
		{Kind: chain.EventFallback, Index: 1},
	} {
		h.Event(ctx, n, e)
	}
	snap := drift.Snapshot{Window: 10, Observed: 10,
		Numbers:    []drift.NumberStats{{Feature: "length", Alerts: map[drift.Rule]uint64{drift.RuleMean: 1}, Active: []drift.Rule{drift.RuleMean}}},
		Categories: []drift.CategoryStats{{Feature: "type", Alerts: map[drift.Rule]uint64{drift.RuleUnseen: 2}}},
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(h,
		prom.MustDriftCollector("inputs", driftSource{snap}),
		prom.MustVersionCollector("classifier", versionSource{}),
		prom.MustShadowCollector("challenger", shadowSource{}))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]family{}
	for _, mf := range mfs {
		f := family{typ: mf.GetType(), labels: map[string]bool{}}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				f.labels[l.GetName()] = true
			}
		}
		out[mf.GetName()] = f
		if f.typ == dto.MetricType_HISTOGRAM {
			bucket := family{typ: f.typ, labels: maps.Clone(f.labels)}
			bucket.labels["le"] = true
			out[mf.GetName()+"_bucket"] = bucket
			out[mf.GetName()+"_sum"] = f
			out[mf.GetName()+"_count"] = f
		}
	}
	return out
}

type driftSource struct{ s drift.Snapshot }

func (d driftSource) Snapshot() drift.Snapshot { return d.s }

type versionSource struct{}

func (versionSource) Current() (string, bool) { return "v2", true }
func (versionSource) Changes() int            { return 1 }

type shadowSource struct{}

func (shadowSource) Started() uint64  { return 3 }
func (shadowSource) Dropped() uint64  { return 1 }
func (shadowSource) Recorded() uint64 { return 2 }

var (
	metricRe   = regexp.MustCompile(`\b[a-zA-Z_:][a-zA-Z0-9_:]*\b`)
	selectorRe = regexp.MustCompile(`([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}`)
	matcherRe  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)`)
	byRe       = regexp.MustCompile(`\b(?:by|without)\s*\(([^)]*)\)`)
	legendRe   = regexp.MustCompile(`\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}`)
)

// checkExpr checks one PromQL expression: every metric it names is one
// chain/prom exports (a histogram by its _bucket, _sum or _count series),
// and every label it selects, groups by or shows in the legend is a label
// of those metrics ("le" of a histogram's buckets).
func checkExpr(where, expr, legend string, fams map[string]family) error {
	var errs []error
	labels := map[string]bool{}
	metrics := 0
	for _, name := range metricRe.FindAllString(expr, -1) {
		if !strings.HasPrefix(name, "chorus_") {
			continue
		}
		f, ok := fams[name]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: %q is not a metric chain/prom exports", where, name))
			continue
		}
		if f.typ == dto.MetricType_HISTOGRAM && !strings.HasSuffix(name, "_bucket") && !strings.HasSuffix(name, "_sum") && !strings.HasSuffix(name, "_count") {
			errs = append(errs, fmt.Errorf("%s: histogram %q used without _bucket, _sum or _count", where, name))
		}
		metrics++
		maps.Copy(labels, f.labels)
	}
	if metrics == 0 {
		errs = append(errs, fmt.Errorf("%s: %q uses no chorus metric", where, expr))
	}
	for _, m := range selectorRe.FindAllStringSubmatch(expr, -1) {
		f := fams[m[1]]
		for _, l := range matcherRe.FindAllStringSubmatch(m[2], -1) {
			if !f.labels[l[1]] {
				errs = append(errs, fmt.Errorf("%s: %s has no label %q", where, m[1], l[1]))
			}
		}
	}
	for _, m := range byRe.FindAllStringSubmatch(expr, -1) {
		for _, l := range strings.Split(m[1], ",") {
			if l = strings.TrimSpace(l); l != "" && !labels[l] {
				errs = append(errs, fmt.Errorf("%s: grouped by %q, which its metrics lack", where, l))
			}
		}
	}
	for _, m := range legendRe.FindAllStringSubmatch(legend, -1) {
		if !labels[m[1]] {
			errs = append(errs, fmt.Errorf("%s: legend shows {{%s}}, which its metrics lack", where, m[1]))
		}
	}
	return errors.Join(errs...)
}

// Every metric name in every query of the dashboard (panels, the node
// variable, annotations) is one the library exports, with its labels;
// and the dashboard covers the families it should.
func TestDashboardMetrics(t *testing.T) {
	fams := exported(t)
	b := load(t)
	used := map[string]bool{}
	note := func(expr string) {
		for _, n := range metricRe.FindAllString(expr, -1) {
			used[strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_sum"), "_count")] = true
		}
	}
	for _, p := range b.Panels {
		for _, q := range p.Targets {
			if err := checkExpr(fmt.Sprintf("panel %q %s", p.Title, q.RefID), q.Expr, q.Legend, fams); err != nil {
				t.Error(err)
			}
			note(q.Expr)
		}
	}
	for _, v := range b.Templating.List {
		if v.Type != "query" {
			continue
		}
		if err := checkExpr("variable "+v.Name, v.Definition, "", fams); err != nil {
			t.Error(err)
		}
		if !strings.Contains(string(v.Query), v.Definition) {
			t.Errorf("variable %s: query %s differs from its definition %q", v.Name, v.Query, v.Definition)
		}
	}
	for _, a := range b.Annotations.List {
		if err := checkExpr("annotation "+a.Name, a.Expr, "", fams); err != nil {
			t.Error(err)
		}
	}
	for _, want := range []string{
		"chorus_node_duration_seconds", "chorus_node_errors_total", "chorus_retries_total", "chorus_breaker_state",
		"chorus_tokens_total", "chorus_batch_size", "chorus_drift_alerts_total", "chorus_model_version_info",
	} {
		if !used[want] {
			t.Errorf("no panel shows %s", want)
		}
	}
	if !slices.ContainsFunc(b.Panels, func(p panel) bool {
		return slices.ContainsFunc(p.Targets, func(q struct {
			RefID  string `json:"refId"`
			Expr   string `json:"expr"`
			Legend string `json:"legendFormat"`
		}) bool {
			return strings.Contains(q.Expr, "histogram_quantile(0.99") && strings.Contains(q.Expr, "chorus_node_duration_seconds_bucket")
		})
	}) {
		t.Error("no panel shows the nodes' p99 latency")
	}
}

// checkExpr itself catches what it should: a misspelt metric, a label the
// metric lacks, a histogram used bare.
func TestCheckExpr(t *testing.T) {
	fams := exported(t)
	for expr, want := range map[string]string{
		`rate(chorus_node_duration_seconds_count{node="a"}[5m])`:                          "",
		`histogram_quantile(0.9, sum by (le, node) (rate(chorus_batch_size_bucket[5m])))`: "",
		`rate(chorus_node_errors_totals[5m])`:                                             "not a metric",
		`rate(chorus_retries_total{reason="x"}[5m])`:                                      `no label "reason"`,
		`sum by (version) (chorus_breaker_state)`:                                         `grouped by "version"`,
		`chorus_node_duration_seconds`:                                                    "without _bucket",
		`up`:                                                                              "uses no chorus metric",
	} {
		err := checkExpr("test", expr, "", fams)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("checkExpr(%q) = %v, want %q", expr, err, want)
		}
	}
}
