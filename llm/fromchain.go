package llm

import (
	"context"

	"github.com/chorus-go/chorus/chain"
)

// FromChain makes a chat model of a chain of requests to responses: the
// way back from ChatChain. It lets reliability be put around a model call
// alone, with the chain package's combinators, wherever a ChatModel is
// taken (retrieval.RAG, tools.Agent, memory.Chat, Structured...):
//
//	safe := llm.FromChain(chain.Retry(chain.Timeout(llm.ChatChain(model), 30*time.Second)))
//	rag := retrieval.RAG(retriever, safe)
//
// A failed answer is then asked again without running again what came
// before it (the retrieval, the tools that already ran).
//
// The model describes itself as c does, so the inference graph shows the
// retry, timeout, fallback or breaker over the model. Its token usage is
// reported by c: ChatChain reports each answered call (so a retried call
// counts only the attempt that answered), and Chat, Stream and ChatChain
// do not report it again for a model made by FromChain; a chain that
// calls no model through this package reports none. ChatChain of such a
// model returns c itself.
//
// The model is not a Streamer: a chain returns its response whole, so
// Stream yields it as one final chunk. To stream with retries, use model
// middleware that keeps the Streamer contract instead of a chain.
//
// FromChain panics with an error matching chain.ErrConfig (and
// ErrNilModel) if c is nil.
func FromChain(c chain.Chain[Request, Response]) ChatModel {
	if c == nil || isNilValue(c) {
		panic(&configError{"FromChain", ErrNilModel})
	}
	return chainModel{c}
}

// chainModel is a chain used as a chat model; see FromChain.
type chainModel struct {
	c chain.Chain[Request, Response]
}

// Chat runs the chain.
func (m chainModel) Chat(ctx context.Context, req Request) (Response, error) {
	return m.c.Run(ctx, req)
}

// Describe describes the chain.
func (m chainModel) Describe() chain.Node { return chain.Describe(m.c) }
