// Package memory gives chat models a conversation memory keyed by session
// ID: the messages to send with the next request are loaded from a Store,
// and new turns (the user's message, the assistant's reply, tool calls and
// their results, all as llm.Message) are appended after each exchange.
//
//	store := memory.NewInProcess() // or pgmemory.New(ctx, pool)
//	chat := memory.Chat(model, memory.MustWindow(store, 4), memory.SystemPrompt("Be brief."))
//	resp, err := chat.Run(ctx, memory.Turn{Session: "ada", Message: llm.User("Hi, I'm Ada.")})
//	resp, err = chat.Run(ctx, memory.Turn{Session: "ada", Message: llm.User("What is my name?")})
//	// the second request carried the first turn: "You are Ada."
//
// (Example runs it.)
//
// Two layers keep persistence apart from policy:
//
//   - A Store persists whole conversations. InProcess keeps them in a map
//     in this process; the pgmemory sub-package keeps them in PostgreSQL.
//     Every Store is itself a Memory that sends the full history (a full
//     buffer). memorytest.TestStore checks any Store against the contract.
//   - A Memory decides what part of the stored history is sent: Window
//     sends the last N messages, Bounded the newest messages within a token
//     or character budget (measured by an llm.TokenCounter, as retrieval's
//     splitters measure chunks), and Summary folds the
//     old turns into a summary written by a chat model once the history
//     grows past a budget, and stores that summary so it is computed once.
//
// The policies keep the leading system messages (the system prompt and a
// stored summary) and never separate an assistant message that asks for
// tool calls from the tool results that answer it, so the messages they
// return are always a valid request.
//
// Chat wraps a chat model with a memory as a chain.Chain: it loads the
// history, calls the model, and stores the user's message and the reply in
// one Append only after the call succeeded. Chat and Summary call their
// models through llm.Chat, which reports token usage to hooks once per
// call.
//
// Constructors follow one convention: NewWindow, NewBounded and NewSummary
// return an error matching chain.ErrConfig on an invalid argument or
// option, and MustWindow, MustBounded and MustSummary panic with it (like
// regexp.Compile and regexp.MustCompile); Chat, a chain constructor,
// panics with it like the chain package's combinators, and NewChat returns
// it. Options never panic.
//
// Store.Replace is a compare-and-swap on the oldest messages of a session:
// it lets Summary, and the policies' Prune option, shorten a history while
// other writers keep appending to it, without losing their messages.
package memory
