package testimages_test

import (
	"fmt"
	"log"

	"github.com/chorus-go/chorus/internal/testimages"
)

// Render a small receipt, scan it badly and encode it as PNG.
func Example() {
	page := testimages.Render([]string{
		"# SHOP",
		"Coffee\t3.20",
		"TOTAL\t3.20",
	}, testimages.Options{Font: testimages.Mono, Size: 10})
	scan := testimages.Noisy(testimages.Rotate(page, 2), 7)
	data, err := testimages.EncodePNG(scan)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.Bounds().Dx() < scan.Bounds().Dx(), len(data) > 0)
	// Output: true true
}

// The ready-made documents and their ground truth.
func ExampleInvoice() {
	inv := testimages.Invoice()
	fmt.Println(inv.Name)
	fmt.Println(inv.Text()[:31])
	// Output:
	// invoice
	// INVOICE
	// Northwind Supplies GmbH
}
