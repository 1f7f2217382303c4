package tools_test

// The agent through the real go-openai client (llm/openai against
// openaitest) and the real ollama api client (llm/ollama against
// ollamatest): every scenario runs once per provider.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/tools"
)

func newAgent(t *testing.T, b backend, ts []tools.Tool, opts ...tools.Option) *tools.Agent {
	t.Helper()
	set, err := tools.NewToolset(ts...)
	if err != nil {
		t.Fatal(err)
	}
	a, err := tools.NewAgent(b.model(), set, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// wantResult checks the tool results sent back with chat request i.
func wantResult(t *testing.T, b backend, i int, want ...string) {
	t.Helper()
	got := toolResults(b.sent(i))
	if len(got) != len(want) {
		t.Fatalf("request %d carries tool results %q, want %d", i, got, len(want))
	}
	for k := range want {
		if !strings.HasPrefix(got[k], want[k]) {
			t.Errorf("request %d, tool result %d = %q, want it to start with %q", i, k, got[k], want[k])
		}
	}
}

func TestWireUnknownTool(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		b.script(calls(call{"c1", "serch", `{"q":"x"}`}), answer("sorry"))
		var refused []chain.Event
		ctx := chain.WithHooks(testContext(t), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
			if e.Kind == tools.HookRefused {
				refused = append(refused, e)
			}
		}})
		a := newAgent(t, b, []tools.Tool{addTool(), failTool()})
		ans, err := a.Ask(ctx, "search for x")
		if err != nil || ans.Text != "sorry" || ans.Steps != 2 {
			t.Fatalf("Ask = %+v, %v", ans, err)
		}
		wantResult(t, b, 1, `error: unknown tool "serch"; the tools are: add, fail`)
		if msgs := b.sent(1); msgs[len(msgs)-1].ToolCallID != "c1" || !slices.Equal(msgs[1].Calls, []string{"serch"}) {
			t.Errorf("the result is not paired with its call: %+v", msgs)
		}
		if len(refused) != 1 || refused[0].Name != "serch" || !errors.Is(refused[0].Err, tools.ErrUnknownTool) {
			t.Errorf("refused events = %+v", refused)
		}
	})
}

func TestWireInvalidArguments(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		script := []reply{calls(call{"c1", "add", `{"a":"two","b":1}`})}
		want := [][]string{{"error: invalid arguments: the JSON does not match the schema:\n- at '/a': got string, want number"}}
		if b.malformedJSON() {
			script = append(script, calls(call{"c2", "add", `{"a": 2, "b":`}))
			want = append(want, []string{"error: invalid arguments: the arguments are not valid JSON: unexpected end of JSON input"})
		}
		script = append(script, calls(call{"c3", "add", `{"a":2,"b":1}`}), answer("3"))
		b.script(script...)
		ans, err := newAgent(t, b, []tools.Tool{addTool()}).Ask(testContext(t), "2+1?")
		if err != nil || ans.Text != "3" {
			t.Fatalf("Ask = %+v, %v", ans, err)
		}
		for i, w := range want {
			wantResult(t, b, i+1, w...)
		}
		wantResult(t, b, len(want)+1, "3")
	})
}

func TestWireToolTimeout(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		b.script(calls(call{"c1", "sleep", `{}`}), calls(call{"c2", "slow", `{}`}), answer("gave up"))
		slow := sleepTool("slow", nil, tools.WithTimeout(20*time.Millisecond)) // its own timeout wins
		a := newAgent(t, b, []tools.Tool{sleepTool("sleep", nil), slow}, tools.WithToolTimeout(30*time.Millisecond))
		start := time.Now()
		ans, err := a.Ask(testContext(t), "wait")
		if err != nil || ans.Text != "gave up" {
			t.Fatalf("Ask = %+v, %v", ans, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v", d)
		}
		wantResult(t, b, 1, "error: sleep timed out after 30ms")
		wantResult(t, b, 2, "error: slow timed out after 20ms")
	})
}

func TestWireToolPanicsAndFails(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		b.script(calls(call{"c1", "boom", `{}`}, call{"c2", "fail", `{}`}), answer("both broke"))
		ans, err := newAgent(t, b, []tools.Tool{boomTool(), failTool()}).Ask(testContext(t), "go")
		if err != nil || ans.Text != "both broke" {
			t.Fatalf("Ask = %+v, %v", ans, err)
		}
		wantResult(t, b, 1, "error: the tool failed unexpectedly (panic: boom)", "error: the disk is full")
	})
}

func TestWireMaxSteps(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		for i := range 3 {
			b.script(calls(call{fmt.Sprint("c", i), "add", `{"a":1,"b":1}`}))
		}
		_, err := newAgent(t, b, []tools.Tool{addTool()}, tools.WithMaxSteps(3)).Ask(testContext(t), "loop")
		var ms *tools.MaxStepsError
		if !errors.Is(err, tools.ErrMaxSteps) || !errors.As(err, &ms) {
			t.Fatalf("err = %v, want a *MaxStepsError", err)
		}
		// user, then 3 replies and 2 rounds of results: the last reply's
		// call does not run.
		if ms.Steps != 3 || len(ms.Transcript) != 6 || ms.Transcript[0].Text() != "loop" || ms.Transcript[5].Role != llm.RoleAssistant {
			t.Errorf("error = %+v", ms)
		}
		if b.chats() != 3 {
			t.Errorf("%d chat requests, want 3", b.chats())
		}
	})
}

func TestWireTokenBudget(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		b.script(
			calls(call{"c1", "add", `{"a":1,"b":1}`}).usage(100, 20),
			calls(call{"c2", "add", `{"a":2,"b":2}`}).usage(130, 20),
			answer("never asked").usage(1, 1),
		)
		var tokens atomic.Int64
		ctx := chain.WithHooks(testContext(t), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
			if e.Kind == chain.EventTokens {
				tokens.Add(int64(e.InputTokens + e.OutputTokens))
			}
		}})
		_, err := newAgent(t, b, []tools.Tool{addTool()}, tools.WithTokenBudget(200)).Ask(ctx, "add")
		var be *tools.BudgetError
		if !errors.Is(err, tools.ErrTokenBudget) || !errors.As(err, &be) {
			t.Fatalf("err = %v, want a *BudgetError", err)
		}
		if be.Used != (llm.Usage{InputTokens: 230, OutputTokens: 40}) || be.Steps != 2 || be.Budget != 200 || len(be.Transcript) != 4 {
			t.Errorf("error = %+v", be)
		}
		if b.chats() != 2 {
			t.Errorf("%d chat requests, want 2", b.chats())
		}
		if tokens.Load() != 270 {
			t.Errorf("hooks saw %d tokens, want 270", tokens.Load())
		}
	})
}

func TestWireApprovalVeto(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		b.script(calls(call{"c1", "delete", `{"path":"/etc/passwd"}`}, call{"c2", "delete", `{"path":"/tmp/x"}`}), answer("done"))
		var deleted atomic.Int32
		var asked []string
		approve := func(_ context.Context, c llm.ToolCall) error {
			asked = append(asked, c.ID)
			if strings.Contains(string(c.Arguments), "/etc") {
				return errors.New("system files need a human")
			}
			return nil
		}
		ans, err := newAgent(t, b, []tools.Tool{deleteTool(&deleted)}, tools.WithApprover(approve)).Ask(testContext(t), "clean up")
		if err != nil || ans.Text != "done" {
			t.Fatalf("Ask = %+v, %v", ans, err)
		}
		wantResult(t, b, 1, "error: the call was not approved: system files need a human", "deleted /tmp/x")
		if deleted.Load() != 1 || !slices.Equal(asked, []string{"c1", "c2"}) {
			t.Errorf("deleted %d, asked %v", deleted.Load(), asked)
		}
	})
}

func TestWireConcurrentCalls(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		var cs []call
		for i := range 5 {
			cs = append(cs, call{fmt.Sprint("c", i), "fetch", fmt.Sprintf(`{"path":"/%d"}`, i)})
		}
		b.script(calls(cs...), answer("fetched"))
		p := newProbe()
		a := newAgent(t, b, []tools.Tool{p.tool()}, tools.WithConcurrency(2))
		done := make(chan error, 1)
		go func() {
			_, err := a.Ask(testContext(t), "fetch all")
			done <- err
		}()
		// Two calls start and overlap; a third does not start while they run.
		<-p.started
		<-p.started
		select {
		case path := <-p.started:
			t.Errorf("a third call (%s) started while two ran: the limit did not hold", path)
		case <-time.After(50 * time.Millisecond):
		}
		close(p.release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if p.maxActive() != 2 {
			t.Errorf("%d calls ran at once, want 2", p.maxActive())
		}
		// Results go back in the calls' order, whatever order they ended in.
		wantResult(t, b, 1, "page /0", "page /1", "page /2", "page /3", "page /4")
	})
}

func TestWireCancelMidTool(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		b.script(calls(call{"c1", "sleep", `{}`}, call{"c2", "sleep", `{}`}))
		started := make(chan struct{}, 2)
		a := newAgent(t, b, []tools.Tool{sleepTool("sleep", started)})
		ctx, cancel := context.WithCancel(testContext(t))
		done := make(chan error, 1)
		go func() {
			_, err := a.Ask(ctx, "sleep")
			done <- err
		}()
		<-started
		<-started
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if b.chats() != 1 {
			t.Errorf("%d chat requests after the cancel, want 1", b.chats())
		}
	})
}

func TestWireEventsOrder(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		first := reply{text: "Let me add that. ", calls: []call{{"c1", "add", `{"a":2,"b":3}`}}}
		b.script(first, answer("2 + 3 is 5, as computed."))
		a := newAgent(t, b, []tools.Tool{addTool()})
		events, err := collect(a.Events(testContext(t), "2+3?"))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := kinds(events), "text tool_call tool_result text answer"; got != want {
			t.Fatalf("events: %s, want %s", got, want)
		}
		var step1, step2 strings.Builder
		for _, e := range events {
			switch {
			case e.Kind == tools.EventText && e.Step == 1:
				step1.WriteString(e.Text)
			case e.Kind == tools.EventText && e.Step == 2:
				step2.WriteString(e.Text)
			case e.Kind == tools.EventToolResult && (e.Result != "5" || e.Call.ID != "c1" || e.Err != nil):
				t.Errorf("tool result event %+v", e)
			}
		}
		if n := countText(events, 2); n < 2 {
			t.Errorf("the answer came in %d pieces: not streamed", n)
		}
		last := events[len(events)-1]
		if step1.String() != "Let me add that. " || step2.String() != last.Text || last.Answer == nil || last.Answer.Text != last.Text || last.Step != 2 {
			t.Errorf("text %q then %q; answer %+v", step1.String(), step2.String(), last)
		}
	})
}

func countText(events []tools.Event, step int) int {
	n := 0
	for _, e := range events {
		if e.Kind == tools.EventText && e.Step == step {
			n++
		}
	}
	return n
}

func TestWireMemoryAcrossRuns(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		b.script(calls(call{"c1", "add", `{"a":2,"b":3}`}), answer("5"), answer("Yes: 2 + 3 = 5."))
		store := memory.NewInProcess()
		conv := newAgent(t, b, []tools.Tool{addTool()}, tools.WithSystem("Be brief.")).Conversation(store)
		ctx := testContext(t)
		if ans, err := conv.Run(ctx, tools.Turn{Session: "s1", Question: "2+3?"}); err != nil || ans.Text != "5" {
			t.Fatalf("turn 1 = %+v, %v", ans, err)
		}
		ans, err := conv.Run(ctx, tools.Turn{Session: "s1", Question: "Sure?"})
		if err != nil || ans.Text != "Yes: 2 + 3 = 5." {
			t.Fatalf("turn 2 = %+v, %v", ans, err)
		}
		got := b.sent(2) // the request of the second run
		var roles []string
		for _, m := range got {
			roles = append(roles, m.Role)
		}
		if want := []string{"system", "user", "assistant", "tool", "assistant", "user"}; !slices.Equal(roles, want) {
			t.Fatalf("second run sent roles %v, want %v", roles, want)
		}
		if got[1].Content != "2+3?" || got[3].Content != "5" || got[3].ToolCallID != "c1" || got[4].Content != "5" || got[5].Content != "Sure?" {
			t.Errorf("second run sent %+v", got)
		}
		stored, _ := store.Messages(ctx, "s1")
		if len(stored) != 6 {
			t.Errorf("the session holds %d messages, want 6 (no system prompt)", len(stored))
		}
		other, _ := store.Messages(ctx, "s2")
		if len(other) != 0 {
			t.Errorf("session s2 holds %d messages", len(other))
		}
	})
}

// TestWireUsageOnce: through the real clients, every model call of a run
// is reported to hooks exactly once, named after the model, whether the
// agent asks with Chat (Ask) or streams (Events).
func TestWireUsageOnce(t *testing.T) {
	forEachProvider(t, func(t *testing.T, b backend) {
		name := chain.Describe(b.model()).Name
		for _, streamed := range []bool{false, true} {
			b.script(calls(call{"c1", "add", `{"a":1,"b":1}`}).usage(10, 2), answer("2").usage(30, 1))
			var (
				mu  sync.Mutex
				got []chain.Event
			)
			ctx := chain.WithHooks(testContext(t), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
				if e.Kind == chain.EventTokens {
					mu.Lock()
					got = append(got, e)
					mu.Unlock()
				}
			}})
			a := newAgent(t, b, []tools.Tool{addTool()})
			var err error
			if streamed {
				for _, e := range a.Events(ctx, "1+1?") {
					if e != nil {
						err = e
					}
				}
			} else {
				_, err = a.Ask(ctx, "1+1?")
			}
			if err != nil {
				t.Fatal(err)
			}
			want := []chain.Event{
				{Kind: chain.EventTokens, Name: name, InputTokens: 10, OutputTokens: 2},
				{Kind: chain.EventTokens, Name: name, InputTokens: 30, OutputTokens: 1},
			}
			mu.Lock()
			if !slices.Equal(got, want) {
				t.Errorf("streamed %v: token events %+v, want %+v", streamed, got, want)
			}
			mu.Unlock()
		}
	})
}
