package gemini_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/gemini"
)

// The example points the adapter at a stand-in for the Gemini API that
// always gives the same answer, with WithBaseURL. For Google's API, set
// GEMINI_API_KEY (or GOOGLE_API_KEY) and call gemini.New("gemini-2.5-flash").
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"candidates":[{"content":{"role":"model","parts":[{"text":"Invoice"}]},"finishReason":"STOP"}],
			"usageMetadata":{"promptTokenCount":24,"candidatesTokenCount":1,"totalTokenCount":25}}`)
	}))
	defer srv.Close()

	model, err := gemini.New("gemini-2.5-flash",
		gemini.WithAPIKey("AIza-example-key"),
		gemini.WithBaseURL(srv.URL+"/"),
		gemini.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	classify := llm.Prompt(model, "Classify the document: Invoice, Receipt or Letter. Answer with one word.")
	label, err := classify.Run(context.Background(), "INVOICE No. 2024-117 — Total due: 1,250.00 EUR")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(label)
	fmt.Println(chain.Describe(model).Name)
	// Output:
	// Invoice
	// gemini:gemini-2.5-flash
}
