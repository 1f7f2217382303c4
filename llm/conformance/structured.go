package conformance

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/chorus-go/chorus/chain/schema"
	"github.com/chorus-go/chorus/llm"
)

// sighting is what the structured-output checks ask for.
type sighting struct {
	Species string `json:"species"`
	Count   int    `json:"count"`
}

// sightingSchema is the schema the format check sends as it is.
const sightingSchema = `{"type":"object","properties":{"species":{"type":"string"},"count":{"type":"integer"}},"required":["species","count"],"additionalProperties":false}`

func (c *chatChecks) structured(t *testing.T) {
	format := &llm.Format{Type: llm.FormatJSONSchema, Name: "sighting", Schema: json.RawMessage(sightingSchema), Strict: true}
	req := ask("Three grey herons by the river.")
	req.Format = format
	if c.cfg.noStructured {
		t.Run("refused", func(t *testing.T) {
			h, m := c.setup(t)
			h.ScriptText(`{"species": "grey heron", "count": 3}`)
			_, err := m.Chat(callContext(t), req)
			if !matches(err, llm.ErrInvalidRequest) {
				t.Errorf("a json_schema format on a model without structured output: error %v, want one matching llm.ErrInvalidRequest", err)
			}
			if n := len(h.Requests()); n != 0 {
				t.Errorf("the refused request reached the server (%d requests)", n)
			}
		})
		return
	}
	t.Run("schema_sent", func(t *testing.T) {
		h, m := c.setup(t)
		h.ScriptText(`{"species": "grey heron", "count": 3}`)
		resp, err := m.Chat(callContext(t), req)
		if err != nil {
			t.Fatalf("Chat with a json_schema format: %v", err)
		}
		checkSchemaReceived(t, h, json.RawMessage(sightingSchema))
		var got sighting
		if err := json.Unmarshal([]byte(resp.Text()), &got); err != nil {
			t.Fatalf("the answer %q does not parse: %v", resp.Text(), err)
		}
		if want := (sighting{"grey heron", 3}); got != want {
			t.Errorf("answer %+v, want %+v", got, want)
		}
	})
	t.Run("typed_chain", func(t *testing.T) {
		h, m := c.setup(t)
		h.ScriptText("```json\n{\"species\": \"mute swan\", \"count\": 2}\n```")
		want, err := schema.New[sighting](schema.Strict())
		if err != nil {
			t.Fatal(err)
		}
		got, err := llm.Structured[string, sighting](m).Run(callContext(t), "Two mute swans on the lake.")
		if err != nil {
			t.Fatalf("llm.Structured: %v", err)
		}
		if want := (sighting{"mute swan", 2}); got != want {
			t.Errorf("llm.Structured gave %+v, want %+v", got, want)
		}
		checkSchemaReceived(t, h, want.JSON())
	})
}

// checkSchemaReceived checks that the last request reached the server
// with a schema equal, as JSON, to want.
func checkSchemaReceived(t *testing.T, h ChatHarness, want json.RawMessage) {
	t.Helper()
	reqs := h.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request reached the server")
	}
	got := reqs[len(reqs)-1].Schema
	if got == nil {
		t.Fatalf("the request reached the server without the schema %s", want)
	}
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("the server received a schema that is not JSON: %s", got)
	}
	if err := json.Unmarshal(want, &b); err != nil {
		t.Fatalf("bad expected schema %s: %v", want, err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the server received the schema\n%s\nwant\n%s", got, want)
	}
}
