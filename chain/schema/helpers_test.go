package schema_test

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The types the tests build schemas of.
type line struct {
	Description string  `json:"description" jsonschema:"description=What was sold"`
	Quantity    int     `json:"quantity"`
	UnitPrice   float64 `json:"unit_price"`
	Note        string  `json:"note,omitempty" jsonschema:"description=A remark on the line"`
}

type party struct {
	Name  string `json:"name"`
	VATID string `json:"vat_id,omitempty"`
}

type invoice struct {
	Number string   `json:"number" jsonschema:"description=The invoice number"`
	Seller party    `json:"seller"`
	Buyer  *party   `json:"buyer,omitempty"`
	Lines  []line   `json:"lines"`
	Total  float64  `json:"total"`
	Tags   []string `json:"tags,omitempty"`
	Paid   bool     `json:"paid,omitempty"`
}

const validInvoice = `{"number":"A-17","seller":{"name":"ACME","vat_id":null},"buyer":null,` +
	`"lines":[{"description":"bolts","quantity":3,"unit_price":2.5,"note":null}],"total":7.5,"tags":null,"paid":null}`

var wantInvoice = invoice{
	Number: "A-17",
	Seller: party{Name: "ACME"},
	Lines:  []line{{Description: "bolts", Quantity: 3, UnitPrice: 2.5}},
	Total:  7.5,
}
