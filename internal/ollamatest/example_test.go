package ollamatest_test

import (
	"context"
	"fmt"
	"log"
	"testing"

	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/ollama/ollama/api"
)

// Example drives the real api client against a scripted server. In a test,
// pass the test's t to New; this runnable example stands in a minimal
// testing.TB.
func Example() {
	t := &exampleTB{}
	defer t.cleanup()

	srv := ollamatest.New(t, ollamatest.WithModels("llama3.2"))
	srv.Enqueue(
		ollamatest.Text("Paris is the capital of France."),
		ollamatest.ToolCalls(ollamatest.Call("get_weather", map[string]any{"city": "Paris"})),
		ollamatest.Cut("Par"),
	)
	client := srv.Client() // the real *api.Client
	ctx := context.Background()

	ask := func(q string) {
		var text string
		var done bool
		err := client.Chat(ctx, &api.ChatRequest{
			Model:    "llama3.2",
			Messages: []api.Message{{Role: "user", Content: q}},
		}, func(r api.ChatResponse) error {
			text += r.Message.Content
			for _, c := range r.Message.ToolCalls {
				city, _ := c.Function.Arguments.Get("city")
				text += fmt.Sprintf("call %s(city=%v)", c.Function.Name, city)
			}
			done = done || r.Done
			return nil
		})
		fmt.Printf("%q done=%v err=%v\n", text, done, err)
	}
	ask("What is the capital of France?")
	ask("Weather there?")
	ask("Again?") // cut: the client returns nil, but done never arrives

	_, err := client.Embed(ctx, &api.EmbedRequest{Model: "bge-m3", Input: []string{"a", "b"}})
	fmt.Println(err)
	fmt.Println(len(srv.Requests()), "requests;", srv.Requests()[0].Prompt())
	// Output:
	// "Paris is the capital of France." done=true err=<nil>
	// "call get_weather(city=Paris)" done=true err=<nil>
	// "Par" done=false err=<nil>
	// model "bge-m3" not found, try pulling it first
	// 4 requests; What is the capital of France?
}

// exampleTB is the part of testing.TB the server uses, for running outside
// a test.
type exampleTB struct {
	testing.TB
	cleanups []func()
}

func (e *exampleTB) Helper()                           {}
func (e *exampleTB) Cleanup(f func())                  { e.cleanups = append(e.cleanups, f) }
func (e *exampleTB) Errorf(format string, args ...any) { log.Printf(format, args...) }
func (e *exampleTB) Fatalf(format string, args ...any) { log.Fatalf(format, args...) }

func (e *exampleTB) cleanup() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
}
