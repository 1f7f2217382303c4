package drift

import (
	"maps"
	"math"
	"slices"

	"github.com/chorus-go/chorus/chain/internal/stats"
)

// Features are the monitored features of one input, as a drift monitor's
// extractor returns them: numeric features by name, and categorical ones
// by name. A feature the reference knows is missing from an input when it
// is absent from its map, a NaN or infinite number, or an empty category.
type Features struct {
	Numbers    map[string]float64
	Categories map[string]string
}

// NumberReference is what a numeric feature looked like on the data the
// model was built for: its mean and standard deviation when present, and
// the share of inputs that lacked it.
type NumberReference struct {
	Mean        float64 `json:"mean"`
	Std         float64 `json:"std"`
	MissingRate float64 `json:"missing_rate"`
}

// CategoryReference is what a categorical feature looked like on the
// reference data: the values it took, and the share of inputs that
// lacked it.
type CategoryReference struct {
	Values      []string `json:"values"`
	MissingRate float64  `json:"missing_rate"`
}

// Reference describes the inputs a model expects, feature by feature. A
// drift monitor watches exactly the features it names. Build it from a
// reference dataset with ReferenceFrom, or write the values down.
type Reference struct {
	Numbers    map[string]NumberReference   `json:"numbers,omitempty"`
	Categories map[string]CategoryReference `json:"categories,omitempty"`
}

// ReferenceFrom builds a Reference from a reference dataset (the training
// or validation inputs): every feature any input has, with its mean and
// sample standard deviation, the values of each categorical feature, and
// each feature's missing rate.
func ReferenceFrom[T any](data []T, extract func(T) Features) Reference {
	type num struct {
		vals    []float64
		missing int
	}
	type cat struct {
		values  map[string]struct{}
		missing int
	}
	nums, cats := map[string]*num{}, map[string]*cat{}
	feats := make([]Features, len(data))
	for i, d := range data {
		f := extract(d)
		feats[i] = f
		for name := range f.Numbers {
			if nums[name] == nil {
				nums[name] = &num{}
			}
		}
		for name := range f.Categories {
			if cats[name] == nil {
				cats[name] = &cat{values: map[string]struct{}{}}
			}
		}
	}
	for _, f := range feats {
		for name, n := range nums {
			if x, ok := present(f.Numbers, name); ok {
				n.vals = append(n.vals, x)
			} else {
				n.missing++
			}
		}
		for name, c := range cats {
			if v := f.Categories[name]; v != "" {
				c.values[v] = struct{}{}
			} else {
				c.missing++
			}
		}
	}
	ref := Reference{Numbers: map[string]NumberReference{}, Categories: map[string]CategoryReference{}}
	for name, n := range nums {
		m, s := stats.MeanStd(n.vals)
		ref.Numbers[name] = NumberReference{Mean: m, Std: s, MissingRate: stats.Ratio(n.missing, len(data))}
	}
	for name, c := range cats {
		ref.Categories[name] = CategoryReference{Values: slices.Sorted(maps.Keys(c.values)), MissingRate: stats.Ratio(c.missing, len(data))}
	}
	return ref
}

// present returns a numeric feature's value, and false when it is
// missing: absent, NaN or infinite.
func present(m map[string]float64, name string) (float64, bool) {
	x, ok := m[name]
	if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// validate reports a reference no monitor can check against: a mean or
// standard deviation that is not a finite number, a negative standard
// deviation, or a missing rate outside [0, 1].
func (r Reference) validate() error {
	for _, name := range slices.Sorted(maps.Keys(r.Numbers)) {
		n := r.Numbers[name]
		switch {
		case !finite(n.Mean):
			return configError("NewMonitor", "feature %q: reference mean %v is not a finite number", name, n.Mean)
		case !finite(n.Std) || n.Std < 0:
			return configError("NewMonitor", "feature %q: reference std must be finite and not negative, got %v", name, n.Std)
		case !(n.MissingRate >= 0 && n.MissingRate <= 1):
			return configError("NewMonitor", "feature %q: reference missing rate must be in [0, 1], got %v", name, n.MissingRate)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(r.Categories)) {
		if c := r.Categories[name]; !(c.MissingRate >= 0 && c.MissingRate <= 1) {
			return configError("NewMonitor", "feature %q: reference missing rate must be in [0, 1], got %v", name, c.MissingRate)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
