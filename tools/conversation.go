package tools

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

// Turn is one question of a conversation held across runs: the session
// it belongs to and the user's question.
type Turn struct {
	Session  string
	Question string
}

// Conversation is an agent whose conversations are remembered by a
// memory.Memory, keyed by session ID: each run starts from what the
// memory returns for the session (its policy decides how much: all of
// it, a window, a summary), and a run that reaches an answer appends the
// question and every message the run added — tool calls and results
// included — in one Append. A failed run stores nothing. An empty reply
// of the model (no text, no tool calls), which no request can carry
// again, is neither stored nor sent: the run's Answer keeps it, and any
// the memory already holds is left out of the next run's conversation. Make one with
// Agent.Conversation. It is a chain.Chain[Turn, Answer] and safe for
// concurrent use.
type Conversation struct {
	agent *Agent
	mem   memory.Memory
}

var _ chain.Chain[Turn, Answer] = (*Conversation)(nil)

// Conversation returns the agent with its conversations kept in mem. It
// panics, with an error matching chain.ErrConfig, if mem is nil.
func (a *Agent) Conversation(mem memory.Memory) *Conversation {
	if mem == nil {
		panic(configErr("Agent.Conversation", "nil memory"))
	}
	return &Conversation{agent: a, mem: mem}
}

// Run answers the turn's question in the light of the session's history.
// An empty session ID is an error matching memory.ErrNoSession. When the
// answer cannot be stored, Run returns it together with the error.
func (c *Conversation) Run(ctx context.Context, t Turn) (Answer, error) {
	j, err := c.job(ctx, t)
	if err != nil {
		return Answer{}, err
	}
	return c.agent.node.Run(ctx, j)
}

// Events is Run streaming what happens, as Agent.Events does. The answer
// is stored before the EventAnswer is yielded, so a consumer may stop
// there.
func (c *Conversation) Events(ctx context.Context, t Turn) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		j, err := c.job(ctx, t)
		if err != nil {
			yield(Event{Kind: EventError, Err: err}, err)
			return
		}
		for e, err := range c.agent.events(ctx, j) {
			if !yield(e, err) {
				return
			}
		}
	}
}

// Describe reports a node of kind memory.KindMemory around the agent.
func (c *Conversation) Describe() chain.Node {
	return chain.Node{Kind: memory.KindMemory, Name: "conversation memory", Children: []chain.Node{c.agent.Describe()}, Chain: c}
}

// job loads the session's history and prepares the run that stores its
// answer.
func (c *Conversation) job(ctx context.Context, t Turn) (*job, error) {
	if t.Session == "" {
		return nil, fmt.Errorf("tools: conversation: %w", memory.ErrNoSession)
	}
	history, err := c.mem.Messages(ctx, t.Session)
	if se := (*memory.SummaryError)(nil); errors.As(err, &se) && history != nil {
		// The summariser failed; go on with the newest turns it returned.
		chain.Emit(ctx, chain.Event{Kind: memory.EventSummaryFailed, Name: "summary", Err: err})
	} else if err != nil {
		return nil, fmt.Errorf("tools: conversation: loading session %q: %w", t.Session, err)
	}
	question := llm.User(t.Question)
	msgs := append(slices.DeleteFunc(history, emptyReply), question) // the slice is ours
	store := func(ctx context.Context, ans *Answer) error {
		add := make([]llm.Message, 0, 1+len(ans.Messages))
		add = append(append(add, question), ans.Messages...)
		add = slices.DeleteFunc(add, emptyReply)
		if err := c.mem.Append(ctx, t.Session, add...); err != nil {
			return fmt.Errorf("tools: conversation: storing the turn of session %q: %w", t.Session, err)
		}
		return nil
	}
	return &job{msgs: msgs, store: store}, nil
}

// emptyReply reports whether m is an assistant message with nothing in
// it, which a request cannot carry (see llm.Message.IsEmpty).
func emptyReply(m llm.Message) bool { return m.Role == llm.RoleAssistant && m.IsEmpty() }
