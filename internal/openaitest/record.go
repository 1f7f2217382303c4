package openaitest

import (
	"context"
	"fmt"
)

// Requests returns a copy of the list of requests received so far, in
// arrival order (all paths, including rejected ones).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// LastRequest is the most recent request, and false if there was none.
func (s *Server) LastRequest() (Request, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) == 0 {
		return Request{}, false
	}
	return s.requests[len(s.requests)-1], true
}

// EmbeddingRequests is the number of well-formed POST /v1/embeddings
// requests received.
func (s *Server) EmbeddingRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.embedRequests
}

// EmbeddingInputs is the total number of inputs (texts) in those requests.
func (s *Server) EmbeddingInputs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.embedInputs
}

// WaitForRequests blocks until at least n requests have been received (for
// example, before cancelling a client that hangs) or ctx is done.
func (s *Server) WaitForRequests(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		got, ch := len(s.requests), s.arrived
		s.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("openaitest: %d of %d requests received: %w", got, n, ctx.Err())
		}
	}
}

func (s *Server) record(req Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
	if req.Embedding != nil && req.Inputs != nil {
		s.embedRequests++
		s.embedInputs += len(req.Inputs)
	}
	close(s.arrived)
	s.arrived = make(chan struct{})
}
