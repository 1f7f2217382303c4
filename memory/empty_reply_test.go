package memory_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
	"github.com/chorus-go/chorus/memory"
)

// wireMessage is a chat message as the server received it, with its raw
// fields: OpenAI needs an assistant message to carry content or tool
// calls.
type wireMessage struct {
	Role      string          `json:"role"`
	Content   json.RawMessage `json:"content"`
	ToolCalls json.RawMessage `json:"tool_calls"`
}

// sentMessages returns the messages of a recorded chat request.
func sentMessages(t *testing.T, r openaitest.Request) []wireMessage {
	t.Helper()
	var body struct {
		Messages []wireMessage `json:"messages"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	return body.Messages
}

// checkSendable fails when a message has neither content nor tool calls,
// which the OpenAI API refuses.
func checkSendable(t *testing.T, msgs []wireMessage) {
	t.Helper()
	for i, m := range msgs {
		content := string(m.Content)
		if (content == "" || content == "null" || content == `""`) && (len(m.ToolCalls) == 0 || string(m.ToolCalls) == "null") {
			t.Errorf("message %d (%s) has no content and no tool calls: %+v", i, m.Role, msgs)
		}
	}
}

// TestChatAfterAnEmptyReply: the model answers a turn with nothing; the
// next turn of the conversation still reaches the model, with a request
// the API accepts, and keeps the earlier user turn.
func TestChatAfterAnEmptyReply(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Text(""), openaitest.Text("Hello again."))
	m, err := openai.New("gpt-4o-mini", openai.WithAPIKey("sk-test"), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewInProcess()
	c := memory.Chat(m, mem, memory.SystemPrompt("Be brief."))
	ctx := context.Background()

	first, err := c.Run(ctx, memory.Turn{Session: "s", Message: llm.User("hi")})
	if err != nil || first.Text() != "" {
		t.Fatalf("first turn: %q, %v; want an empty answer", first.Text(), err)
	}
	second, err := c.Run(ctx, memory.Turn{Session: "s", Message: llm.User("are you there?")})
	if err != nil || second.Text() != "Hello again." {
		t.Fatalf("second turn: %q, %v", second.Text(), err)
	}
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("the server saw %d requests, want 2", len(reqs))
	}
	sent := sentMessages(t, reqs[1])
	checkSendable(t, sent)
	var roles []string
	for _, m := range sent {
		roles = append(roles, m.Role)
	}
	if got := fmt.Sprint(roles); got != "[system user user]" {
		t.Errorf("the second request's roles are %s, want [system user user]", got)
	}
	// The history holds what can be sent again.
	h, err := mem.Messages(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[0].Text() != "hi" || h[1].Text() != "are you there?" || h[2].Text() != "Hello again." {
		t.Errorf("history %+v, want both user turns and the second answer", h)
	}
}

// TestChatSkipsEmptyRepliesAlreadyStored: a history written before (or by
// other code) that holds an empty assistant message does not break the
// session: the request leaves it out, and keeps everything else.
func TestChatSkipsEmptyRepliesAlreadyStored(t *testing.T) {
	s := openaitest.New(t)
	m, err := openai.New("gpt-4o-mini", openai.WithAPIKey("sk-test"), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store := memory.NewInProcess()
	if err := store.Append(ctx, "s", llm.User("hi"), llm.Message{Role: llm.RoleAssistant}, llm.User("hello?"), llm.Assistant("Hi."), llm.Assistant("")); err != nil {
		t.Fatal(err)
	}
	for name, mem := range map[string]memory.Memory{"store": store, "window": memory.MustWindow(store, 10)} {
		s.EnqueueChat(openaitest.Text("Yes."))
		if _, err := memory.Chat(m, mem).Run(ctx, memory.Turn{Session: "s", Message: llm.User("still there?")}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r, _ := s.LastRequest()
		sent := sentMessages(t, r)
		checkSendable(t, sent)
		if len(sent) < 4 || sent[0].Role != "user" || sent[1].Role != "user" || sent[2].Role != "assistant" || sent[3].Role != "user" {
			t.Errorf("%s: sent %+v, want hi, hello?, Hi. and the new turns", name, sent)
		}
	}
}
