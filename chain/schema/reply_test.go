package schema_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/chorus-go/chorus/chain/schema"
)

type pair struct {
	A string `json:"a"`
	B int    `json:"b,omitempty"`
}

func TestParseReplyExtraction(t *testing.T) {
	s, err := schema.New[pair](schema.Strict())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		reply string
		want  pair
		err   string
	}{
		{"plain", `{"a":"x","b":1}`, pair{"x", 1}, ""},
		{"spaces", "\n\t {\"a\":\"x\"}  \n", pair{A: "x"}, ""},
		{"json fence", "```json\n{\"a\":\"x\"}\n```", pair{A: "x"}, ""},
		{"JSON fence upper case", "```JSON\n{\"a\":\"x\"}\n```", pair{A: "x"}, ""},
		{"bare fence", "```\n{\"a\":\"x\"}\n```", pair{A: "x"}, ""},
		{"one-line fence", "```json {\"a\":\"x\"} ```", pair{A: "x"}, ""},
		{"unclosed fence", "```json\n{\"a\":\"x\"}", pair{A: "x"}, ""},
		{"fence after prose", "The answer:\n\n```json\n{\"a\":\"x\"}\n```\nDone.", pair{A: "x"}, ""},
		{"backticks inside a string", "```json\n{\"a\":\"use ```code```\"}\n```", pair{A: "use ```code```"}, ""},
		{"two fences take the first", "```json\n{\"a\":\"x\"}\n```\n```json\n{\"a\":\"y\"}\n```", pair{A: "x"}, ""},
		{"prose around", `Sure, here: {"a":"x"}. Bye`, pair{A: "x"}, ""},
		{"starts with JSON, fence later", "{\"a\":\"x\"}\n```", pair{}, "not valid JSON"},
		{"fence with prose in it", "```this is\nnot json```", pair{}, "not valid JSON"},
		{"only a fence", "``````", pair{}, "empty"},
		{"unicode", `{"a":"héllo ✓"}`, pair{A: "héllo ✓"}, ""},
		{"null for the optional", `{"a":"x","b":null}`, pair{A: "x"}, ""},
		{"exponent for int", `{"a":"x","b":2e1}`, pair{A: "x", B: 20}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Parse(tt.reply)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestParseReplyErrorIsBounded(t *testing.T) {
	s, err := schema.New[[]pair](schema.Strict())
	if err != nil {
		t.Fatal(err)
	}
	bad := `{"value":[` + strings.Repeat(`{"a":1,"c":2},`, 2000) + `{"a":1}]}`
	_, err = s.Parse(bad)
	if err == nil || len(err.Error()) > 2200 {
		t.Fatalf("error of %d bytes", len(err.Error()))
	}
}

// FuzzParseReply feeds arbitrary replies to the reply parser (fence
// stripping, validation, decoding). It must never panic, and what it
// accepts must survive a round trip: encoded again, it parses to the same
// value.
func FuzzParseReply(f *testing.F) {
	for _, seed := range []string{
		validInvoice,
		"```json\n" + validInvoice + "\n```",
		"Here you go:\n```\n" + validInvoice + "\n```\nThanks",
		`{"number":"A-17","seller":{"name":"ACME"},"lines":[{"description":"x","quantity":1e2,"unit_price":-0}],"total":1.5e3}`,
		`{"number":"1","seller":{"name":"S","vat_id":"FR"},"buyer":{"name":"B"},"lines":[],"total":0,"tags":["a"],"paid":true}`,
		`{"number":1}`,
		`{"number":"A","seller":{`,
		"```",
		"``` json { ```",
		"{}",
		"[]",
		"null",
		"",
		"\x00{\"a\":\"\xff\"}",
		`{"label":"invoice"}`,
		"prose { with braces } and more }",
	} {
		f.Add(seed)
	}
	s, err := schema.New[invoice](schema.Strict())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, reply string) {
		v, err := s.Parse(reply)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("accepted a value that does not encode: %+v: %v", v, err)
		}
		again, err := s.Parse(string(b))
		if err != nil {
			t.Fatalf("round trip of %q (from %q) failed: %v", b, reply, err)
		}
		if diff := cmp.Diff(v, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip changed the value (-first +again):\n%s", diff)
		}
	})
}
