package serve

import (
	"encoding/json"
	"fmt"

	"github.com/chorus-go/chorus/chain/schema"
)

// schemaDoc is the body of GET <path>/schema.
type schemaDoc struct {
	Request  json.RawMessage `json:"request"`
	Response json.RawMessage `json:"response"`
}

// buildSchemas builds In's and Out's schemas and the schema document. They
// are not strict (see schema.Strict): optional fields stay optional, so
// the published request schema is exactly the one requests are validated
// against.
func buildSchemas[In, Out any]() (*schema.Schema[In], *schema.Schema[Out], []byte, error) {
	in, err := schema.New[In]()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("request type: %w", err)
	}
	out, err := schema.New[Out]()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("response type: %w", err)
	}
	doc, err := json.MarshalIndent(schemaDoc{Request: in.JSON(), Response: out.JSON()}, "", "  ")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("schema document: %w", err)
	}
	return in, out, append(doc, '\n'), nil
}
