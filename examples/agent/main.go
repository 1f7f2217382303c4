// Command agent is an assistant for a small kettle shop that answers with
// two tools: a calculator (a real arithmetic evaluator, not Go code) and a
// search over the shop's documents (bundled under testdata, indexed in
// retrieval's in-memory vector store with its hashing embedder).
//
// It talks to OpenAI, to any OpenAI-compatible server, or to Ollama:
//
//	OPENAI_API_KEY=sk-... go run ./examples/agent "How much are 3 Kettle Pro for a club member, delivered?"
//	OPENAI_BASE_URL=http://localhost:8000/v1 go run ./examples/agent -model my-model "..."
//	OLLAMA_HOST=127.0.0.1:11434 go run ./examples/agent -model llama3.2 "..."
//
// Without a question it reads questions from standard input, one a line,
// as one conversation. With no model configured it says what to set and
// exits with status 2; so it does, in one line, when the server does not
// have the model (looked up once at start).
//
// The model is wrapped in llm/guard (examples/internal/reliable): 4
// attempts at a call that fails retryably (429 with Retry-After, 5xx, a
// dropped connection, a garbled body, a timeout), a 2-minute timeout per
// attempt and a circuit breaker, with the adapter's own retries off. The
// last line on stderr says how many retries the run took.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], env{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr})
	stop()
	os.Exit(code)
}
