package main

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm/openai"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The README's hello world on the real go-openai client: the server first
// fails (503), then rate-limits (429 with Retry-After), then answers with
// a reply that breaks the schema, then with a valid one. The chain retries
// the failures, re-asks once with the validation error, and decodes.
func TestReviewerRetriesAndRepairs(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	want := Review{Sentiment: "mixed", Stars: 3, Points: []string{"long battery life", "screen scratches easily"}}
	s.EnqueueChat(
		openaitest.ServerError(),
		openaitest.RateLimited(10*time.Millisecond),
		openaitest.JSON(map[string]any{"sentiment": "meh", "stars": 9, "points": []string{}}),
		openaitest.JSON(want),
	)
	model, err := openai.New("gpt-4o-mini", openai.WithAPIKey("sk-test"), openai.WithBaseURL(s.URL()),
		openai.WithHTTPClient(s.HTTPClient()), openai.WithMaxRetries(4), openai.WithRetryBackoff(time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := reviewer(model).Run(ctx, "The battery lasts two days, but the screen scratches far too easily.")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	reqs := s.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4 (503, 429, invalid reply, valid reply)", len(reqs))
	}
	for i, r := range reqs {
		rf := r.Chat.ResponseFormat
		if rf == nil || rf.JSONSchema == nil || rf.JSONSchema.Schema == nil {
			t.Fatalf("request %d sent no json_schema response format", i)
		}
		schema, _ := json.Marshal(rf.JSONSchema.Schema)
		var doc struct {
			Properties map[string]any `json:"properties"`
		}
		if err := json.Unmarshal(schema, &doc); err != nil || doc.Properties["stars"] == nil {
			t.Fatalf("request %d: schema %s does not describe Review", i, schema)
		}
	}
	if last := reqs[3].Chat.Messages; len(last) < 3 {
		t.Fatalf("the repair request has %d messages, want the invalid reply and the validation error", len(last))
	}
}
