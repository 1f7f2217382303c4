package pgvector

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/chorus-go/chorus/internal/abbrev"
	"github.com/chorus-go/chorus/retrieval"
)

// params collects a statement's bind parameters.
type params struct{ args []any }

// filterLimits bounds a filter's size; bytes counts what it used.
type filterLimits struct {
	maxIn, maxBytes, bytes int
}

// precheck refuses, before the filter is normalized (which costs time in
// proportion to its size), an In with too many values and a tree whose
// keys and string values alone pass the byte limit (each node counts at
// least a byte). Nesting deeper than Normalize allows is left to it.
func (l *filterLimits) precheck(f *retrieval.Filter, depth int) error {
	if f == nil || depth > 64 {
		return nil
	}
	if f.Op == retrieval.OpIn && len(f.Values) > l.maxIn {
		return fmt.Errorf("%w: In(%s) has %d values, the limit is %d (FilterLimits)",
			retrieval.ErrInvalidFilter, abbrev.Quote(f.Key, 64), len(f.Values), l.maxIn)
	}
	n := len(f.Key) + 1
	if v, ok := f.Value.(string); ok {
		n += len(v)
	}
	for _, v := range f.Values {
		if v, ok := v.(string); ok {
			n += len(v)
		}
	}
	if err := l.use(n); err != nil {
		return err
	}
	for i := range f.Filters {
		if err := l.precheck(&f.Filters[i], depth+1); err != nil {
			return err
		}
	}
	return nil
}

// normalizedFilter checks o's filter against the store's limits and
// returns it normalized (nil when there is none).
func (s *Store) normalizedFilter(o retrieval.SearchOptions) (*retrieval.Filter, error) {
	if err := s.limits().precheck(o.Filter, 0); err != nil {
		return nil, err
	}
	return o.NormalizedFilter()
}

// use counts n bytes of keys and values, failing past the limit.
func (l *filterLimits) use(n int) error {
	l.bytes += n
	if l.bytes > l.maxBytes {
		return fmt.Errorf("%w: keys and values take more than %d bytes (FilterLimits)", retrieval.ErrInvalidFilter, l.maxBytes)
	}
	return nil
}

// add binds v and returns its placeholder.
func (p *params) add(v any) string {
	p.args = append(p.args, v)
	return "$" + strconv.Itoa(len(p.args))
}

// The SQL of the comparison and boolean operators.
var (
	comparisons = map[retrieval.Op]string{retrieval.OpGt: ">", retrieval.OpGte: ">=", retrieval.OpLt: "<", retrieval.OpLte: "<="}
	connectives = map[retrieval.Op]string{retrieval.OpAnd: " AND ", retrieval.OpOr: " OR "}
)

// filterSQL renders a normalized filter as a condition on the metadata
// column md. Keys and values only ever reach the server as bind
// parameters; the SQL text is made of the column name and fixed
// fragments.
//
// An In filter extracts the key's value once per row and compares it with
// each value (md -> key = ANY(values)): testing md @> {key: value} for
// each value instead would detoast the row's whole metadata once per value
// and keep every copy until the row is done.
func filterSQL(f retrieval.Filter, md string, p *params, l *filterLimits) (string, error) {
	if err := l.use(len(f.Key)); err != nil {
		return "", err
	}
	switch f.Op {
	case retrieval.OpEq:
		obj, err := json.Marshal(map[string]any{f.Key: f.Value})
		if err != nil {
			return "", err
		}
		if err := l.use(len(obj)); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s @> %s::jsonb", md, p.add(string(obj))), nil
	case retrieval.OpIn:
		if len(f.Values) > l.maxIn {
			return "", fmt.Errorf("%w: In(%s) has %d values, the limit is %d (FilterLimits)",
				retrieval.ErrInvalidFilter, abbrev.Quote(f.Key, 64), len(f.Values), l.maxIn)
		}
		if len(f.Values) == 0 {
			return "false", nil
		}
		vals := make([]string, len(f.Values))
		for i, v := range f.Values {
			b, err := json.Marshal(v)
			if err != nil {
				return "", err
			}
			if err := l.use(len(b)); err != nil {
				return "", err
			}
			vals[i] = string(b)
		}
		return fmt.Sprintf("(%s -> %s::text) = ANY(%s::jsonb[])", md, p.add(f.Key), p.add(vals)), nil
	case retrieval.OpGt, retrieval.OpGte, retrieval.OpLt, retrieval.OpLte:
		n, ok := f.Value.(float64)
		if err := l.use(8); err != nil {
			return "", err
		}
		if !ok {
			return "", fmt.Errorf("%w: %s(%q): not normalized", retrieval.ErrInvalidFilter, f.Op, f.Key)
		}
		op := comparisons[f.Op]
		k := p.add(f.Key)
		return fmt.Sprintf("(CASE WHEN jsonb_typeof(%[1]s -> %[2]s::text) = 'number' THEN (%[1]s -> %[2]s::text)::float8 %[3]s %[4]s::float8 ELSE false END)",
			md, k, op, p.add(n)), nil
	case retrieval.OpContains:
		obj, err := json.Marshal(f.Value)
		if err != nil {
			return "", err
		}
		if err := l.use(len(obj)); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s @> %s::jsonb", md, p.add(string(obj))), nil
	case retrieval.OpAnd, retrieval.OpOr:
		if len(f.Filters) == 0 {
			return strconv.FormatBool(f.Op == retrieval.OpAnd), nil
		}
		parts := make([]string, len(f.Filters))
		for i, sub := range f.Filters {
			s, err := filterSQL(sub, md, p, l)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "(" + strings.Join(parts, connectives[f.Op]) + ")", nil
	}
	return "", fmt.Errorf("%w: unknown operator %s", retrieval.ErrInvalidFilter, abbrev.Quote(string(f.Op), 32))
}
