package tools_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/tools"
)

// TestAgentRetriesTheModelCallAlone: the model asks for a tool, then the
// server is overloaded (503) on the second step, then the model answers.
// A retry around the model call alone (llm.FromChain) asks the second step
// again: the tool, which already ran, does not run again, and the answer
// arrives. Both ways of running the agent (Ask, and Events, which streams)
// are checked.
func TestAgentRetriesTheModelCallAlone(t *testing.T) {
	for _, streamed := range []bool{false, true} {
		name := "Ask"
		if streamed {
			name = "Events"
		}
		t.Run(name, func(t *testing.T) {
			o := newOpenAI(t).(*openAI)
			o.s.EnqueueChat(
				openaitest.ToolCalls(openaitest.ToolCall{ID: "call_1", Name: "lookup", Arguments: `{"city":"Oslo"}`}),
				openaitest.Overloaded(),
				openaitest.Text("It is 7 °C in Oslo."),
			)
			var ran atomic.Int32
			lookup := tools.MustNew("lookup", "Looks up the temperature of a city.",
				func(ctx context.Context, in struct {
					City string `json:"city"`
				}) (string, error) {
					ran.Add(1)
					return "7 °C", nil
				})
			safe := llm.FromChain(chain.Retry(llm.ChatChain(o.m), chain.Backoff(time.Millisecond, 10*time.Millisecond)))
			agent := tools.MustAgent(safe, tools.MustToolset(lookup))

			var ans tools.Answer
			if streamed {
				for e, err := range agent.Events(testContext(t), "How warm is Oslo?") {
					if err != nil {
						t.Fatal(err)
					}
					if e.Kind == tools.EventAnswer {
						ans = *e.Answer
					}
				}
			} else {
				var err error
				if ans, err = agent.Ask(testContext(t), "How warm is Oslo?"); err != nil {
					t.Fatal(err)
				}
			}
			if ans.Text != "It is 7 °C in Oslo." || ans.Steps != 2 || ans.ToolCalls != 1 {
				t.Errorf("answer %q after %d steps and %d tool calls, want the answer after 2 steps and 1 call", ans.Text, ans.Steps, ans.ToolCalls)
			}
			if n := ran.Load(); n != 1 {
				t.Errorf("the tool ran %d times, want 1", n)
			}
			// The server saw the first step, the failed second step and
			// its retry, which carried the tool's result.
			if n := o.chats(); n != 3 {
				t.Fatalf("the server saw %d chat requests, want 3", n)
			}
			if sent := o.sent(2); len(sent) != 3 || sent[2].Role != "tool" || sent[2].Content != "7 °C" {
				t.Errorf("the retried step sent %+v, want the question, the call and its result", sent)
			}
		})
	}
}
