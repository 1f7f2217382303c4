package anthropictest

import "context"

// Requests returns a copy of the list of requests received so far, in
// arrival order (all paths, including rejected ones).
func (s *Server) Requests() []Request { return s.log.All() }

// LastRequest is the most recent request, and false if there was none.
func (s *Server) LastRequest() (Request, bool) { return s.log.Last() }

// WaitForRequests blocks until at least n requests have been received (for
// example, before cancelling a client that hangs) or ctx is done.
func (s *Server) WaitForRequests(ctx context.Context, n int) error {
	return s.log.Wait(ctx, n, "anthropictest")
}

func (s *Server) record(req Request) {
	s.log.Add(req)
}
