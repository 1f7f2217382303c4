package serve_test

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
)

// TestPublishedSchemaIsWhatIsAccepted: the request schema GET /schema
// publishes is the one requests are validated against. An omitempty field
// is optional in both: not listed as required, and a request without it
// runs; a required field is listed, and a request without it gets 400
// saying so.
func TestPublishedSchemaIsWhatIsAccepted(t *testing.T) {
	srv := httptest.NewServer(mustHandler(t, chain.Pure(upper)))
	defer srv.Close()

	r := do(t, srv.Client(), "GET", srv.URL+"/schema", "", "")
	var doc struct {
		Request struct {
			Required   []string                   `json:"required"`
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"request"`
		Response struct {
			Required []string `json:"required"`
		} `json:"response"`
	}
	if err := json.Unmarshal([]byte(r.body), &doc); err != nil || r.status != 200 {
		t.Fatalf("schema: %d %s: %v", r.status, r.body, err)
	}
	if !slices.Equal(doc.Request.Required, []string{"text"}) {
		t.Errorf("published required = %q, want only \"text\" (count is omitempty)", doc.Request.Required)
	}
	var count struct {
		Type  string `json:"type"`
		AnyOf []any  `json:"anyOf"`
	}
	if err := json.Unmarshal(doc.Request.Properties["count"], &count); err != nil || count.Type != "integer" || count.AnyOf != nil {
		t.Errorf("count is published as %s, want a plain integer", doc.Request.Properties["count"])
	}
	if !slices.Equal(doc.Response.Required, []string{"text"}) {
		t.Errorf("response required = %q", doc.Response.Required)
	}

	// Without the optional field: accepted.
	if r := do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"hi"}`); r.status != 200 || r.body != "{\"text\":\"HI\"}\n" {
		t.Errorf("without count: %d %s", r.status, r.body)
	}
	// Without the required field: 400, saying which.
	r = do(t, srv.Client(), "POST", srv.URL, "application/json", `{"count":1}`)
	if r.status != 400 {
		t.Fatalf("without text: %d %s", r.status, r.body)
	}
	info := r.errorBody(t)
	if info.Code != serve.CodeInvalidRequest || len(info.Details) != 1 || info.Details[0].Message != "missing property 'text'" {
		t.Errorf("without text: %+v", info)
	}
}
