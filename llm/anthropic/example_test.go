package anthropic_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
)

// The example points the adapter at a stand-in for Anthropic's API (a
// server that always gives the same answer) with WithBaseURL. For
// Anthropic itself, set ANTHROPIC_API_KEY and call
// anthropic.New("claude-sonnet-4-5").
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
			"content":[{"type":"text","text":"Invoice"}],"stop_reason":"end_turn","stop_sequence":null,
			"usage":{"input_tokens":24,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2}}`)
	}))
	defer srv.Close()

	model, err := anthropic.New("claude-sonnet-4-5",
		anthropic.WithBaseURL(srv.URL), anthropic.WithAPIKey("sk-ant-example"), anthropic.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	classify := llm.Prompt(model, "Classify the document: Invoice, Receipt or Letter. Answer with one word.")
	label, err := classify.Run(context.Background(), "INVOICE No. 2024-117 — Total due: 1,250.00 EUR")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(label)
	fmt.Println(model)
	// Output:
	// Invoice
	// anthropic:claude-sonnet-4-5
}
