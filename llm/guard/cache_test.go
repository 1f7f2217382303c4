package guard_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/guard"
)

func TestCacheHitAndMisses(t *testing.T) {
	s := openaitest.New(t)
	m := guard.MustNew(newOpenAI(t, s), guard.WithName("gpt"), guard.WithCache(10))
	var ev events
	ctx := ev.ctx(context.Background())
	req := ask("what is 2+2?")
	first, err := m.Chat(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := m.Chat(ctx, ask("what is 2+2?"))
	if err != nil {
		t.Fatal(err)
	}
	if first.Usage.Total() == 0 || again.Usage != (llm.Usage{}) {
		t.Errorf("usage %+v then %+v, want the hit to report none", first.Usage, again.Usage)
	}
	first.Usage = llm.Usage{}
	if !reflect.DeepEqual(first, again) || len(s.Requests()) != 1 {
		t.Fatalf("%+v then %+v after %d requests, want one request and the same answer", first, again, len(s.Requests()))
	}
	if ev.count(guard.EventCacheHit, "gpt") != 1 {
		t.Errorf("no cache hit event on path gpt: %+v", ev.all)
	}

	temp := 0.5
	seed := 1
	misses := []func(*llm.Request){
		func(r *llm.Request) { r.Temperature = &temp },
		func(r *llm.Request) { r.Seed = &seed },
		func(r *llm.Request) { r.MaxTokens = 10 },
		func(r *llm.Request) { r.Stop = []string{"\n"} },
		func(r *llm.Request) { r.Format = &llm.Format{Type: llm.FormatJSON} },
		func(r *llm.Request) { r.Tools = []llm.Tool{{Name: "calc", Parameters: []byte(`{}`)}} },
		func(r *llm.Request) { r.ToolChoice = "none" },
		func(r *llm.Request) {
			r.Messages = []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{llm.Text("what is 2+2?"), llm.ImagePart("image/png", []byte{1})}}}
		},
		func(r *llm.Request) { r.Messages = append([]llm.Message{llm.System("be brief")}, r.Messages...) },
	}
	for i, change := range misses {
		r := ask("what is 2+2?")
		change(&r)
		if _, err := m.Chat(ctx, r); err != nil {
			t.Fatal(err)
		}
		if want := i + 2; len(s.Requests()) != want {
			t.Fatalf("change %d: %d requests, want %d (a miss)", i, len(s.Requests()), want)
		}
	}

	// Streams bypass the cache.
	for _, err := range m.Stream(ctx, ask("what is 2+2?")) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if want := len(misses) + 2; len(s.Requests()) != want {
		t.Fatalf("%d requests, want the stream to send one", len(s.Requests()))
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	inner := &echoModel{}
	m := guard.MustNew(inner, guard.WithCache(2))
	for _, q := range []string{"a", "b", "a", "c", "a", "b"} { // b is evicted by c
		if _, err := m.Chat(context.Background(), ask(q)); err != nil {
			t.Fatal(err)
		}
	}
	if n := inner.calls.Load(); n != 4 {
		t.Fatalf("%d calls, want 4 (a, b, c, b again)", n)
	}
}

// TestRequestFieldsCovered fails when llm.Request gains a field, so that
// the cache key is taught about it (requestKey in cache.go).
func TestRequestFieldsCovered(t *testing.T) {
	for typ, n := range map[reflect.Type]int{
		reflect.TypeFor[llm.Request]():  5,
		reflect.TypeFor[llm.Message]():  5,
		reflect.TypeFor[llm.Part]():     2,
		reflect.TypeFor[llm.Image]():    2,
		reflect.TypeFor[llm.Tool]():     3,
		reflect.TypeFor[llm.ToolCall](): 3,
		reflect.TypeFor[llm.Format]():   4,
		reflect.TypeFor[llm.Options]():  5,
	} {
		if typ.NumField() != n {
			t.Errorf("%v has %d fields, the cache key knows %d: update requestKey", typ, typ.NumField(), n)
		}
	}
}
