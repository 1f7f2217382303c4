package schema_test

import (
	"github.com/chorus-go/chorus/internal/schematest"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The types the tests use, shared with the other schema tests.
type (
	line    = schematest.Line
	party   = schematest.Party
	invoice = schematest.Invoice
)

const validInvoice = schematest.ValidInvoice

var wantInvoice = schematest.WantInvoice()
