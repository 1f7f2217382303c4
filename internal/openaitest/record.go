package openaitest

import "context"

// Requests returns a copy of the list of requests received so far, in
// arrival order (all paths, including rejected ones).
func (s *Server) Requests() []Request { return s.log.All() }

// LastRequest is the most recent request, and false if there was none.
func (s *Server) LastRequest() (Request, bool) { return s.log.Last() }

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
	return s.log.Wait(ctx, n, "openaitest")
}

// record counts req, then logs it (waking WaitForRequests, which then
// sees the counts).
func (s *Server) record(req Request) {
	s.mu.Lock()
	if req.Embedding != nil && req.Inputs != nil {
		s.embedRequests++
		s.embedInputs += len(req.Inputs)
	}
	s.mu.Unlock()
	s.log.Add(req)
}
