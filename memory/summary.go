package memory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// SummaryName is the Name of the system message that holds a Summary's
// summary of the earlier conversation. IsSummary recognises it.
const SummaryName = "conversation_summary"

// SummaryPrefix starts the text of every summary message, so the chat
// model knows what it is reading.
const SummaryPrefix = "Summary of the earlier conversation:\n"

// DefaultSummaryPrompt is the instruction a Summary gives its model.
const DefaultSummaryPrompt = "You maintain the memory of a conversation between a user and an assistant. " +
	"Write a concise summary of the conversation below, folding in the existing summary if there is one. " +
	"Keep every fact, name, number, preference, decision and open question needed to continue the conversation. " +
	"Reply with the summary only."

// EventSummaryFailed is the kind of the chain.Event that Chat reports to
// hooks when it went on without a summary because the summariser failed;
// the event's Err is the *SummaryError.
const EventSummaryFailed chain.EventKind = "memory_summary_failed"

// summaryAttempts bounds how often Messages starts over when another writer
// changed the history while the summary was being written.
const summaryAttempts = 3

// Summary is a Memory that keeps a session's history within a budget by
// summarising it. While the history fits in the budget (measured by its
// counter), Messages returns it whole. Once it does not, the newest turns
// that fit in KeepRecent are kept word for word and the older ones are
// folded, with any earlier summary, into a new summary written by a chat
// model. The summary replaces the old turns in the store — one system
// message named SummaryName, after the system prompt — so it is computed
// once, not on every call, and the store stops growing. Tool calls stay
// with their results on either side of the fold.
//
// When the summariser fails (or answers with nothing), Messages degrades:
// it returns the newest turns that fit in the budget, unsummarised, with
// the stored summary if there is one, together with a *SummaryError
// (matching ErrSummary) saying why. Nothing is stored, so the next call
// tries again. Callers that want to go on without the summary, as Chat
// does, check for the error with errors.As and use the messages; others
// treat it like any error.
//
// Summarising is a compare-and-swap (Store.Replace): messages appended
// while the model writes are kept, and if another process summarised or
// cleared the same history meanwhile, Messages starts over from the new
// history (at most three times). Concurrent calls on one session may each
// ask the model; only one summary is stored.
//
// Leave room in the budget: KeepRecent plus the summary should fit in it,
// or the next call summarises again. When the newest turns alone are over
// budget there is nothing to fold, and the history is returned whole. The
// summariser sees the old turns as plain text (images as "[image
// image/png]"), after DefaultSummaryPrompt or SummaryPrompt's instructions.
type Summary struct {
	store   Store
	model   llm.ChatModel
	budget  int
	keep    int
	counter llm.TokenCounter
	prompt  string
}

var _ Memory = (*Summary)(nil)

// NewSummary returns a summarising memory over s that asks model for its
// summaries once a history is over budget (approximate tokens, unless
// CountWith sets another counter). Options KeepRecent, CountWith and
// SummaryPrompt apply. It fails (with an error matching chain.ErrConfig)
// if s or model is nil, budget < 1, KeepRecent is not below budget or an
// option is invalid.
func NewSummary(s Store, model llm.ChatModel, budget int, opts ...Option) (*Summary, error) {
	switch {
	case s == nil:
		return nil, configError("NewSummary", "nil store")
	case model == nil:
		return nil, configError("NewSummary", "nil model")
	case budget < 1:
		return nil, configError("NewSummary", "budget %d < 1", budget)
	}
	cfg, err := newConfig("NewSummary", opts)
	if err != nil {
		return nil, err
	}
	if cfg.keep == 0 {
		cfg.keep = budget / 2
	} else if cfg.keep >= budget {
		return nil, configError("NewSummary", "KeepRecent(%d) is not below the budget %d", cfg.keep, budget)
	}
	return &Summary{store: s, model: model, budget: budget, keep: cfg.keep, counter: cfg.counter, prompt: cfg.prompt}, nil
}

// MustSummary is NewSummary that panics with its error instead of
// returning it.
func MustSummary(s Store, model llm.ChatModel, budget int, opts ...Option) *Summary {
	return must(NewSummary(s, model, budget, opts...))
}

// IsSummary reports whether m is a summary message written by a Summary.
func IsSummary(m llm.Message) bool { return m.Role == llm.RoleSystem && m.Name == SummaryName }

// Messages returns the session's history, summarising its older turns
// first if it is over budget. See Summary for what happens when the
// summariser fails.
func (s *Summary) Messages(ctx context.Context, session string) ([]llm.Message, error) {
	for attempt := 1; ; attempt++ {
		all, err := s.store.Messages(ctx, session)
		if err != nil {
			return nil, err
		}
		if sum(all, s.counter) <= s.budget {
			return all, nil
		}
		h := headLen(all)
		head, body := all[:h:h], all[h:]
		cut := newestCut(body, s.keep, counted(s.counter))
		if cut == 0 {
			// Nothing is old enough to fold: the newest turns alone are
			// over budget.
			return all, nil
		}
		var system, earlier []llm.Message
		for _, m := range head {
			if IsSummary(m) {
				earlier = append(earlier, m)
			} else {
				system = append(system, m)
			}
		}
		summary, err := s.summarise(ctx, earlier, body[:cut])
		if err != nil {
			c := newestCut(body, s.budget-sum(head, s.counter), counted(s.counter))
			return append(head, body[c:]...), &SummaryError{Session: session, Err: err}
		}
		newHead := append(system, summary)
		err = s.store.Replace(ctx, session, all[:h+cut], newHead)
		switch {
		case err == nil, errors.Is(err, ErrConflict) && attempt == summaryAttempts:
			return append(newHead, body[cut:]...), nil
		case !errors.Is(err, ErrConflict):
			return nil, fmt.Errorf("memory: storing the summary of session %q: %w", session, err)
		}
	}
}

// summarise asks the model for a summary of the earlier summaries and the
// old messages.
func (s *Summary) summarise(ctx context.Context, earlier, old []llm.Message) (llm.Message, error) {
	req := llm.Request{Messages: []llm.Message{
		llm.System(s.prompt),
		llm.User(transcript(earlier, old)),
	}}
	resp, err := llm.Chat(ctx, s.model, req)
	if err != nil {
		return llm.Message{}, err
	}
	text := strings.TrimSpace(resp.Text())
	if text == "" {
		return llm.Message{}, ErrEmptySummary
	}
	return llm.Message{Role: llm.RoleSystem, Name: SummaryName, Parts: []llm.Part{llm.Text(SummaryPrefix + text)}}, nil
}

// Append appends msgs to the store.
func (s *Summary) Append(ctx context.Context, session string, msgs ...llm.Message) error {
	return s.store.Append(ctx, session, msgs...)
}

// Clear clears the session in the store, summary included.
func (s *Summary) Clear(ctx context.Context, session string) error {
	return s.store.Clear(ctx, session)
}
