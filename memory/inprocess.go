package memory

import (
	"context"
	"fmt"
	"sync"

	"github.com/chorus-go/chorus/llm"
)

// InProcess is a Store that keeps conversations in a map in this process,
// guarded by a mutex. Messages are deep-copied in and out, so callers can
// never change a stored history by changing a slice. The zero value is
// ready to use; an InProcess must not be copied after first use.
type InProcess struct {
	mu       sync.RWMutex
	sessions map[string][]llm.Message
}

// NewInProcess returns an empty in-process store.
func NewInProcess() *InProcess { return &InProcess{} }

var _ Store = (*InProcess)(nil)

// Messages returns a copy of the session's whole history.
func (s *InProcess) Messages(ctx context.Context, session string) ([]llm.Message, error) {
	if err := checkCall(ctx, "messages", session); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return CloneMessages(s.sessions[session]), nil
}

// Append adds copies of msgs to the end of the session's history.
func (s *InProcess) Append(ctx context.Context, session string, msgs ...llm.Message) error {
	if err := checkCall(ctx, "append", session); err != nil {
		return err
	}
	if len(msgs) == 0 {
		return nil
	}
	msgs = CloneMessages(msgs)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions == nil {
		s.sessions = make(map[string][]llm.Message)
	}
	s.sessions[session] = append(s.sessions[session], msgs...)
	return nil
}

// Replace swaps the oldest len(old) messages for copies of msgs if the
// history still begins with old; see Store.
func (s *InProcess) Replace(ctx context.Context, session string, old, msgs []llm.Message) error {
	if err := checkCall(ctx, "replace", session); err != nil {
		return err
	}
	msgs = CloneMessages(msgs)
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.sessions[session]
	if len(old) > len(cur) || !EqualMessages(cur[:len(old)], old) {
		return fmt.Errorf("memory: replace in session %q: %w", session, ErrConflict)
	}
	next := append(msgs, cur[len(old):]...)
	if len(next) == 0 {
		delete(s.sessions, session)
		return nil
	}
	if s.sessions == nil {
		s.sessions = make(map[string][]llm.Message)
	}
	s.sessions[session] = next
	return nil
}

// Clear forgets the session.
func (s *InProcess) Clear(ctx context.Context, session string) error {
	if err := checkCall(ctx, "clear", session); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, session)
	return nil
}
