package pgvector

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/chorus-go/chorus/retrieval"
)

// params collects a statement's bind parameters.
type params struct{ args []any }

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
func filterSQL(f retrieval.Filter, md string, p *params) (string, error) {
	switch f.Op {
	case retrieval.OpEq:
		obj, err := json.Marshal(map[string]any{f.Key: f.Value})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s @> %s::jsonb", md, p.add(string(obj))), nil
	case retrieval.OpIn:
		if len(f.Values) == 0 {
			return "false", nil
		}
		objs := make([]string, len(f.Values))
		for i, v := range f.Values {
			obj, err := json.Marshal(map[string]any{f.Key: v})
			if err != nil {
				return "", err
			}
			objs[i] = string(obj)
		}
		return fmt.Sprintf("%s @> ANY(%s::jsonb[])", md, p.add(objs)), nil
	case retrieval.OpGt, retrieval.OpGte, retrieval.OpLt, retrieval.OpLte:
		n, ok := f.Value.(float64)
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
		return fmt.Sprintf("%s @> %s::jsonb", md, p.add(string(obj))), nil
	case retrieval.OpAnd, retrieval.OpOr:
		if len(f.Filters) == 0 {
			return strconv.FormatBool(f.Op == retrieval.OpAnd), nil
		}
		parts := make([]string, len(f.Filters))
		for i, sub := range f.Filters {
			s, err := filterSQL(sub, md, p)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "(" + strings.Join(parts, connectives[f.Op]) + ")", nil
	}
	return "", fmt.Errorf("%w: unknown operator %q", retrieval.ErrInvalidFilter, f.Op)
}
