package tools_test

import (
	"context"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/tools"
)

// TestConversationAfterAnEmptyReply: the model ends a turn with an empty
// answer (after a tool call); the next turn of the conversation still
// reaches the model with messages that all carry content or tool calls,
// and keeps the earlier question, the call and its result.
func TestConversationAfterAnEmptyReply(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		b.script(
			calls(call{"call_1", "lookup", `{"city":"Oslo"}`}),
			answer(""),
			answer("It was 7 °C."),
		)
		lookup := tools.MustNew("lookup", "Looks up the temperature of a city.",
			func(ctx context.Context, in struct {
				City string `json:"city"`
			}) (string, error) {
				return "7 °C", nil
			})
		mem := memory.NewInProcess()
		conv := tools.MustAgent(b.model(), tools.MustToolset(lookup)).Conversation(mem)
		ctx := testContext(t)

		first, err := conv.Run(ctx, tools.Turn{Session: "s", Question: "How warm is Oslo?"})
		if err != nil || first.Text != "" {
			t.Fatalf("first turn: %q, %v; want an empty answer", first.Text, err)
		}
		second, err := conv.Run(ctx, tools.Turn{Session: "s", Question: "And so?"})
		if err != nil || second.Text != "It was 7 °C." {
			t.Fatalf("second turn: %q, %v", second.Text, err)
		}
		if n := b.chats(); n != 3 {
			t.Fatalf("%d chat requests, want 3", n)
		}
		sent := b.sent(2)
		var roles []string
		for i, m := range sent {
			roles = append(roles, m.Role)
			if m.Content == "" && len(m.Calls) == 0 {
				t.Errorf("message %d (%s) has no content and no tool calls: %+v", i, m.Role, sent)
			}
		}
		if len(roles) != 4 || roles[0] != "user" || roles[1] != "assistant" || roles[2] != "tool" || roles[3] != "user" {
			t.Errorf("the second turn sent %+v, want the question, the call, its result and the new question", sent)
		}
		h, err := mem.Messages(ctx, "s")
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range h {
			if m.Role == llm.RoleAssistant && m.IsEmpty() {
				t.Errorf("history message %d is an empty reply: %+v", i, h)
			}
		}
	})
}
