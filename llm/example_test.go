package llm_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

// Receipt is what the extractor asks the model for. Field descriptions
// guide the model; omitempty fields may come back null.
type Receipt struct {
	Shop  string  `json:"shop" jsonschema:"description=The shop's name"`
	Total float64 `json:"total" jsonschema:"description=The amount paid"`
	VAT   float64 `json:"vat,omitempty"`
}

func ExampleExtractor() {
	// A scripted model: its first reply does not fit the schema, so the
	// extractor sends it back with the validation error and gets a valid one.
	model := llmtest.NewModel("gpt",
		llmtest.Text(`{"shop": "Corner Café", "total": "4.20"}`),
		llmtest.Text("```json\n{\"shop\": \"Corner Café\", \"total\": 4.2, \"vat\": null}\n```"),
	)
	extract := llm.Extractor[Receipt](model)

	r, err := extract.Run(context.Background(), "CORNER CAFÉ\n1 espresso 2.10\n1 croissant 2.10\nTOTAL 4.20")
	fmt.Printf("%+v %v\n", r, err)

	reask := model.Requests()[1].Messages
	fmt.Println(reask[len(reask)-1].Text())
	// Output:
	// {Shop:Corner Café Total:4.2 VAT:0} <nil>
	// Your reply was not valid: the JSON does not match the schema:
	// - at '/total': got string, want number
	//
	// Reply again with only the corrected JSON object, matching the schema, and no other text.
}

type DocType string

func ExampleClassifier() {
	labels := []DocType{"invoice", "receipt", "letter"}
	model := llmtest.NewModel("gpt",
		llmtest.Text(`{"label": "receipt"}`),
		llmtest.Text(`{"label": "memo"}`), // not a label: re-asked...
		llmtest.Text(`{"label": "memo"}`), // ...twice, then it gives up
		llmtest.Text(`{"label": "memo"}`),
	)
	classify := llm.Classifier(model, labels)

	label, err := classify.Run(context.Background(), "Paid by card. Thank you!")
	fmt.Println(label, err)

	_, err = classify.Run(context.Background(), "Memo: the meeting moves to 3pm")
	var out *llm.OutputError
	fmt.Println(errors.Is(err, llm.ErrInvalidOutput), errors.As(err, &out) && out.Raw == `{"label": "memo"}`)

	fmt.Print(chain.Mermaid(classify))
	// Output:
	// receipt <nil>
	// true true
	// flowchart LR
	//   subgraph c1 ["classify:DocType: model (invoice, receipt, letter; strict json schema, 2 repairs)"]
	//     n2["llmtest:gpt (model)"]
	//   end
}
