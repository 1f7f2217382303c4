// Package schematest holds what the JSON-schema tests of chain/schema and
// llm share: an invoice type with nested, optional and repeated fields, a
// valid reply for it, and a check of OpenAI's strict-mode rules.
package schematest

import (
	"encoding/json"
	"testing"
)

// Line is an invoice line; Note is optional.
type Line struct {
	Description string  `json:"description" jsonschema:"description=What was sold"`
	Quantity    int     `json:"quantity"`
	UnitPrice   float64 `json:"unit_price"`
	Note        string  `json:"note,omitempty" jsonschema:"description=A remark on the line"`
}

// Party is a seller or a buyer; VATID is optional.
type Party struct {
	Name  string `json:"name"`
	VATID string `json:"vat_id,omitempty"`
}

// Invoice has a nested object, an optional pointer, a list of objects and
// optional scalars and lists.
type Invoice struct {
	Number string   `json:"number" jsonschema:"description=The invoice number"`
	Seller Party    `json:"seller"`
	Buyer  *Party   `json:"buyer,omitempty"`
	Lines  []Line   `json:"lines"`
	Total  float64  `json:"total"`
	Tags   []string `json:"tags,omitempty"`
	Paid   bool     `json:"paid,omitempty"`
}

// ValidInvoice is a strict-mode reply for Invoice: every optional field
// present as null.
const ValidInvoice = `{"number":"A-17","seller":{"name":"ACME","vat_id":null},"buyer":null,` +
	`"lines":[{"description":"bolts","quantity":3,"unit_price":2.5,"note":null}],"total":7.5,"tags":null,"paid":null}`

// WantInvoice is ValidInvoice decoded.
func WantInvoice() Invoice {
	return Invoice{
		Number: "A-17",
		Seller: Party{Name: "ACME"},
		Lines:  []Line{{Description: "bolts", Quantity: 3, UnitPrice: 2.5}},
		Total:  7.5,
	}
}

// CheckStrict walks a schema and checks OpenAI's strict-mode rules on
// every object: additionalProperties false and every property required.
func CheckStrict(t testing.TB, doc []byte) {
	t.Helper()
	var root any
	if err := json.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		m, ok := v.(map[string]any)
		if !ok {
			if list, ok := v.([]any); ok {
				for _, x := range list {
					walk(x, path)
				}
			}
			return
		}
		if m["type"] == "object" {
			if m["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties = %v", path, m["additionalProperties"])
			}
			props, _ := m["properties"].(map[string]any)
			req, _ := m["required"].([]any)
			if len(req) != len(props) {
				t.Errorf("%s: %d required of %d properties", path, len(req), len(props))
			}
		}
		for k, x := range m {
			walk(x, path+"/"+k)
		}
	}
	walk(root, "")
}
