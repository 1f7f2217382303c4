package customadapter_test

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/customadapter"
	"github.com/chorus-go/chorus/llm"
)

type Animal string

// Once the adapter is an llm.ChatModel, the typed adapters and the chain
// combinators work with it like with any other model.
func Example() {
	s := newFakeServer()
	defer s.close()
	s.reply(fakeReply{output: `{"label": "bird"}`})
	s.reply(fakeReply{status: 503, message: "warming up"})
	s.reply(fakeReply{output: `{"label": "reptile"}`})

	tiny, err := customadapter.New(s.srv.URL, "tiny-1", customadapter.WithHTTPClient(s.srv.Client()))
	if err != nil {
		panic(err)
	}
	classify := chain.Retry(llm.Classifier(tiny, []Animal{"bird", "mammal", "reptile"}))
	for _, text := range []string{"It has feathers and sings at dawn.", "It basks on warm rocks."} {
		animal, err := classify.Run(context.Background(), text)
		fmt.Println(animal, err)
	}
	fmt.Println(s.requests()[0].JSONSchema != nil)
	fmt.Println(chain.Describe(classify).Children[0].Children[0].Name)
	// Output:
	// bird <nil>
	// reptile <nil>
	// true
	// tinychat:tiny-1
}
