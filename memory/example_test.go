package memory_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

// nameModel is a tiny chat model for the examples: it learns the user's
// name from "I'm ..." and recalls it only while the message is still in the
// request it was sent (or in a summary).
type nameModel struct{}

func (nameModel) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	last := req.Messages[len(req.Messages)-1].Text()
	if _, name, ok := strings.Cut(last, "I'm "); ok {
		return llm.Response{Message: llm.Assistant("Hello, " + strings.TrimSuffix(name, ".") + "!")}, nil
	}
	if strings.Contains(last, "my name") {
		for _, m := range req.Messages {
			if _, name, ok := strings.Cut(m.Text(), "I'm "); ok {
				return llm.Response{Message: llm.Assistant("You are " + strings.TrimSuffix(name, ".") + ".")}, nil
			}
			if _, name, ok := strings.Cut(m.Text(), "user is "); ok {
				return llm.Response{Message: llm.Assistant("You are " + strings.TrimSuffix(name, ".") + ".")}, nil
			}
		}
		return llm.Response{Message: llm.Assistant("I don't know.")}, nil
	}
	return llm.Response{Message: llm.Assistant("OK.")}, nil
}

// A chat that remembers the last four messages of each session.
func Example() {
	ctx := context.Background()
	store := memory.NewInProcess()
	chat := memory.Chat(nameModel{}, memory.MustWindow(store, 4), memory.SystemPrompt("Be brief."))

	for _, turn := range []memory.Turn{
		{Session: "ada", Message: llm.User("Hi, I'm Ada.")},
		{Session: "bob", Message: llm.User("What is my name?")}, // another session
		{Session: "ada", Message: llm.User("What is my name?")},
		{Session: "ada", Message: llm.User("Nice weather.")},
		{Session: "ada", Message: llm.User("What is my name?")}, // "I'm Ada" left the window
	} {
		resp, err := chat.Run(ctx, turn)
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Printf("%s> %s\n", turn.Session, resp.Text())
	}
	history, _ := store.Messages(ctx, "ada")
	fmt.Println(len(history), "messages stored for ada")
	// Output:
	// ada> Hello, Ada!
	// bob> I don't know.
	// ada> You are Ada.
	// ada> OK.
	// ada> I don't know.
	// 8 messages stored for ada
}

// summariser writes the summaries for ExampleNewSummary.
type summariser struct{}

func (summariser) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	conversation := req.Messages[len(req.Messages)-1].Text()
	if strings.Contains(conversation, "I'm Ada") || strings.Contains(conversation, "user is Ada") {
		return llm.Response{Message: llm.Assistant("The user is Ada.")}, nil
	}
	return llm.Response{Message: llm.Assistant("Small talk.")}, nil
}

// A memory that folds old turns into a summary once the history is over
// 100 characters, keeping the newest 24 characters' worth of turns, so the
// user's name is still known after its message was folded away.
func ExampleNewSummary() {
	ctx := context.Background()
	store := memory.NewInProcess()
	mem := memory.MustSummary(store, summariser{}, 100,
		memory.CountWith(llm.CharCounter()), memory.KeepRecent(24))
	chat := memory.Chat(nameModel{}, mem)

	for _, q := range []string{
		"Hi, I'm Ada.",
		"Nice weather today.",
		"Rain tomorrow, maybe.",
		"I'd like some tea later.",
		"Let's meet at five.",
		"What is my name?", // the history is over budget: summarise first
	} {
		resp, _ := chat.Run(ctx, memory.Turn{Session: "ada", Message: llm.User(q)})
		fmt.Println(resp.Text())
	}
	history, _ := store.Messages(ctx, "ada")
	for _, m := range history {
		fmt.Printf("%s: %q\n", m.Role, m.Text())
	}
	// Output:
	// Hello, Ada!
	// OK.
	// OK.
	// OK.
	// OK.
	// You are Ada.
	// system: "Summary of the earlier conversation:\nThe user is Ada."
	// user: "Let's meet at five."
	// assistant: "OK."
	// user: "What is my name?"
	// assistant: "You are Ada."
}
