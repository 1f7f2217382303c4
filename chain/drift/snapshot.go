package drift

import "github.com/chorus-go/chorus/chain/internal/stats"

// Snapshot is a drift monitor's state: the window's statistics per
// feature and the totals since it started. Every number is finite, so it
// marshals to JSON.
type Snapshot struct {
	Window     int             `json:"window"`
	Observed   uint64          `json:"observed"`
	Alerts     uint64          `json:"alerts"`
	Numbers    []NumberStats   `json:"numbers"`
	Categories []CategoryStats `json:"categories"`
}

// NumberStats is a numeric feature's state in a Snapshot: over the
// window, Count values present and Missing absent, their Mean and Std,
// the Z score of the mean and the StdRatio; since the start, MissingTotal
// and Alerts per rule; Active lists the checks failing now.
type NumberStats struct {
	Feature      string          `json:"feature"`
	Count        int             `json:"count"`
	Missing      int             `json:"missing"`
	MissingRate  float64         `json:"missing_rate"`
	Mean         float64         `json:"mean"`
	Std          float64         `json:"std"`
	Z            float64         `json:"z"`
	StdRatio     float64         `json:"std_ratio"`
	Reference    NumberReference `json:"reference"`
	MissingTotal uint64          `json:"missing_total"`
	Alerts       map[Rule]uint64 `json:"alerts"`
	Active       []Rule          `json:"active,omitempty"`
}

// CategoryStats is a categorical feature's state in a Snapshot: over
// the window, Count values present (Unseen of them new) and Missing
// absent; since the start, MissingTotal, UnseenTotal and Alerts per rule;
// Active lists the checks failing now.
type CategoryStats struct {
	Feature      string          `json:"feature"`
	Count        int             `json:"count"`
	Missing      int             `json:"missing"`
	MissingRate  float64         `json:"missing_rate"`
	Unseen       int             `json:"unseen"`
	UnseenRate   float64         `json:"unseen_rate"`
	MissingTotal uint64          `json:"missing_total"`
	UnseenTotal  uint64          `json:"unseen_total"`
	Alerts       map[Rule]uint64 `json:"alerts"`
	Active       []Rule          `json:"active,omitempty"`
}

// Snapshot returns the monitor's current state.
func (m *Monitor[T]) Snapshot() Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := Snapshot{Window: m.count, Observed: m.observed, Alerts: m.alerts}
	for _, t := range m.nums {
		mean, std := t.stats()
		d := NumberStats{
			Feature: t.name, Count: t.n, Missing: t.missing, MissingRate: stats.Ratio(t.missing, m.count),
			Mean: mean, Std: std, Reference: t.ref, MissingTotal: t.missTot, StdRatio: 1,
			Alerts: alertMap(t.alertTot, RuleMean, RuleStd, RuleMissing), Active: activeRules(t.active),
		}
		if t.n >= 2 {
			d.Z = zScore(mean, t.ref.Mean, t.ref.Std, t.n)
			d.StdRatio = stdRatio(std, t.ref.Std)
		}
		s.Numbers = append(s.Numbers, d)
	}
	for _, t := range m.cats {
		present := m.count - t.missing
		s.Categories = append(s.Categories, CategoryStats{
			Feature: t.name, Count: present, Missing: t.missing, MissingRate: stats.Ratio(t.missing, m.count),
			Unseen: t.unseen, UnseenRate: stats.Ratio(t.unseen, present), MissingTotal: t.missTot, UnseenTotal: t.unseenT,
			Alerts: alertMap(t.alertTot, RuleMissing, RuleUnseen), Active: activeRules(t.active),
		})
	}
	return s
}

func alertMap(tot [len(rules)]uint64, rs ...Rule) map[Rule]uint64 {
	m := make(map[Rule]uint64, len(rs))
	for _, r := range rs {
		m[r] = tot[ruleIndex(r)]
	}
	return m
}

func activeRules(active [len(rules)]bool) []Rule {
	var rs []Rule
	for k, on := range active {
		if on {
			rs = append(rs, rules[k])
		}
	}
	return rs
}
