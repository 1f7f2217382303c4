package tesseract_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/tesseract"
)

// Read the text of a scanned invoice, and look at the words' boxes.
func Example() {
	eng, err := tesseract.New(tesseract.WithLanguages("eng"))
	if errors.Is(err, tesseract.ErrNotInstalled) {
		log.Print("install tesseract-ocr")
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	data, err := os.ReadFile("testdata/invoice.png")
	if err != nil {
		log.Fatal(err)
	}
	res, err := eng.Recognize(context.Background(), llm.Image{MIMEType: "image/png", Data: data})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Text)
	for _, w := range res.Words {
		if strings.HasPrefix(w.Text, "INV-") {
			fmt.Printf("%s at %v (confidence %.2f)\n", w.Text, w.Box, w.Confidence)
		}
	}
}

// Tesseract's TSV output, parsed without running tesseract.
func ExampleParseTSV() {
	tsv := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"5\t1\t1\t1\t1\t1\t50\t230\t120\t30\t96.5\tTotal\n" +
		"5\t1\t1\t1\t1\t2\t180\t230\t110\t30\t91.5\t1,234.50\n"
	res, err := tesseract.ParseTSV([]byte(tsv))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Text)
	fmt.Println(res.Words[1].Box, res.Words[1].Confidence)
	fmt.Printf("%.2f\n", res.Confidence)
	// Output:
	// Total 1,234.50
	// (180,230)-(290,260) 0.915
	// 0.94
}
