package visionocr_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/llm/visionocr"
)

// Transcribe an invoice with a vision model. Here the model is scripted;
// in a program it would be, for example, openai.New("gpt-4o-mini") or an
// Ollama vision model.
func Example() {
	var model llm.ChatModel = llmtest.NewModel("vision",
		llmtest.Text("```\nINVOICE\n\nInvoice number: INV-2041\n```"))
	ocr, err := visionocr.New(model)
	if err != nil {
		log.Fatal(err)
	}
	data, err := os.ReadFile("../tesseract/testdata/invoice.png")
	if err != nil {
		log.Fatal(err)
	}
	res, err := ocr.Recognize(context.Background(), llm.Image{MIMEType: "image/png", Data: data})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Text)
	// Output:
	// INVOICE
	//
	// Invoice number: INV-2041
}
