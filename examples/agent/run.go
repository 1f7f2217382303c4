package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/tools"
)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2 // bad flags, or no model configured
)

// env is what run needs from the outside world.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	httpClient     *http.Client // nil: the adapters' own
	// reliability sets the guard of the model (tests shorten its
	// backoffs).
	reliability reliable.Settings
}

const systemPrompt = `You are the assistant of Northwind Kettles, a small online shop.
Answer customers' questions about products, prices, discounts, shipping and returns.
Always look facts up with the search tool; never guess a price or a policy.
Do every computation with the calculator tool, then give the result in EUR with two decimals.
Be brief.`

// run is the program: it parses the flags, picks the model, builds the
// assistant and answers the question of the arguments, or each line of
// stdin. It returns the exit status.
func run(ctx context.Context, args []string, e env) int {
	fs := flag.NewFlagSet("agent", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var cfg config
	fs.StringVar(&cfg.provider, "provider", "auto", "model provider: auto, openai, azure, anthropic, gemini or ollama")
	fs.StringVar(&cfg.model, "model", "", "model name (default gpt-4o-mini for OpenAI, llama3.2 for Ollama)")
	react := fs.Bool("react", false, "use the ReAct text protocol, for models without tool calling")
	steps := fs.Int("max-steps", tools.DefaultMaxSteps, "most model calls per question")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: agent [flags] [question]\n\n%s\nflags:\n", setupHelp)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *steps < 1 {
		fmt.Fprintln(e.stderr, "agent: -max-steps must be at least 1")
		return exitUsage
	}
	model, desc, err := cfg.open(ctx, e)
	if errors.Is(err, llm.ErrModelNotFound) {
		fmt.Fprintf(e.stderr, "agent: %v\n", err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "agent: %v\n\n%s", err, setupHelp)
		return exitUsage
	}
	assistant, err := newAssistant(ctx, model, *react, *steps)
	if err != nil {
		fmt.Fprintf(e.stderr, "agent: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(e.stderr, "agent: %s, tools: %s\n", desc, strings.Join(assistant.Agent.Tools().Names(), ", "))

	// The counter sees the model's retries; the last line says how many.
	var count reliable.Counter
	ctx = chain.WithHooks(ctx, count.Hook())
	defer func() { fmt.Fprintln(e.stderr, "agent: "+count.String()) }()

	if q := strings.TrimSpace(strings.Join(fs.Args(), " ")); q != "" {
		return assistant.answer(ctx, e, q)
	}
	// A conversation on stdin: each line a question, remembered.
	in := bufio.NewScanner(e.stdin)
	code := exitOK
	for in.Scan() {
		if q := strings.TrimSpace(in.Text()); q != "" {
			if c := assistant.answer(ctx, e, q); c != exitOK {
				code = c
			}
		}
		if ctx.Err() != nil {
			return exitFailed
		}
	}
	return code
}

// assistant is the agent with its tools and its memory.
type assistant struct {
	*tools.Agent
	conv  *tools.Conversation
	react bool
}

func newAssistant(ctx context.Context, model llm.ChatModel, react bool, steps int) (*assistant, error) {
	lib, err := newLibrary(ctx)
	if err != nil {
		return nil, err
	}
	set, err := tools.NewToolset(
		tools.MustNew("calculator", "Evaluates an arithmetic expression exactly.", calculator),
		tools.MustNew("search", "Searches the shop's documents: products and prices, discounts, shipping, returns and warranty.", lib.search),
	)
	if err != nil {
		return nil, err
	}
	opts := []tools.Option{tools.WithName("assistant"), tools.WithSystem(systemPrompt), tools.WithMaxSteps(steps)}
	if react {
		opts = append(opts, tools.WithReAct())
	}
	a, err := tools.NewAgent(model, set, opts...)
	if err != nil {
		return nil, err
	}
	return &assistant{Agent: a, conv: a.Conversation(memory.MustWindow(memory.NewInProcess(), 40)), react: react}, nil
}

// answer answers one question of the session, streaming the answer to
// stdout and the tool calls to stderr.
func (a *assistant) answer(ctx context.Context, e env, question string) int {
	wrote := false
	for ev, err := range a.conv.Events(ctx, tools.Turn{Session: "cli", Question: question}) {
		switch ev.Kind {
		case tools.EventText:
			if !a.react {
				fmt.Fprint(e.stdout, ev.Text)
				wrote = true
			}
		case tools.EventToolCall:
			if wrote {
				fmt.Fprintln(e.stdout)
				wrote = false
			}
			fmt.Fprintf(e.stderr, "  [%s] %s\n", ev.Call.Name, ev.Call.Arguments)
		case tools.EventToolResult:
			fmt.Fprintf(e.stderr, "  [%s] → %s\n", ev.Call.Name, clip(ev.Result, 160))
		case tools.EventAnswer:
			if a.react {
				fmt.Fprint(e.stdout, ev.Text)
			}
			fmt.Fprintln(e.stdout)
		case tools.EventError:
			if wrote {
				fmt.Fprintln(e.stdout)
			}
			fmt.Fprintf(e.stderr, "agent: %v\n", explain(err))
			return exitFailed
		}
	}
	return exitOK
}

// explain adds advice to the errors a user can do something about.
func explain(err error) error {
	var steps *tools.MaxStepsError
	switch {
	case errors.Is(err, llm.ErrAuth):
		return fmt.Errorf("%w (check OPENAI_API_KEY)", err)
	case errors.Is(err, llm.ErrModelNotFound):
		return fmt.Errorf("%w (check -model)", err)
	case errors.As(err, &steps):
		return fmt.Errorf("%w: the model kept calling tools; try -max-steps or another model", err)
	}
	return err
}

// clip shortens s to about n bytes, on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
