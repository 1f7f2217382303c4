package schema_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/internal/schematest"
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
