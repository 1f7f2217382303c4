package testimages_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/internal/testimages"
)

func TestContractAndForm(t *testing.T) {
	for _, c := range []struct {
		doc  testimages.Document
		want []string
	}{
		{testimages.Contract(), []string{"SERVICE AGREEMENT", "Northwind Supplies GmbH", "for a term of 24 months.", "of England and Wales."}},
		{testimages.Form(), []string{"MEMBERSHIP APPLICATION FORM", "Full name: Maria Garcia", "Date signed: 2026-03-10"}},
	} {
		a, b := c.doc.Image(), c.doc.Image()
		if a.Bounds() != b.Bounds() || !bytes.Equal(a.Pix, b.Pix) {
			t.Errorf("%s: two renderings differ", c.doc.Name)
		}
		text := c.doc.Text()
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: ground truth lacks %q", c.doc.Name, w)
			}
		}
	}
}
