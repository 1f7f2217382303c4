package geminitest

import "context"

// Requests returns a copy of the requests received so far, in arrival
// order (every path, the refused ones too).
func (s *Server) Requests() []Request { return s.log.All() }

// LastRequest is the latest request, and false if there was none.
func (s *Server) LastRequest() (Request, bool) { return s.log.Last() }

// EmbeddingRequests is the number of well-formed embeddings requests.
func (s *Server) EmbeddingRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.embedRequests
}

// EmbeddingInputs is the number of texts in those requests.
func (s *Server) EmbeddingInputs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.embedInputs
}

// WaitForRequests blocks until at least n requests have arrived, or ctx
// is done.
func (s *Server) WaitForRequests(ctx context.Context, n int) error {
	return s.log.Wait(ctx, n, "geminitest")
}

// record counts req, then logs it (waking WaitForRequests, which then
// sees the counts).
func (s *Server) record(req Request) {
	s.mu.Lock()
	if req.Embeds != nil {
		s.embedRequests++
		s.embedInputs += len(req.Embeds)
	}
	s.mu.Unlock()
	s.log.Add(req)
}

// Enqueue appends replies to the endpoint's queue: each request to the
// endpoint takes the oldest; when the queue is empty the default answers.
func (s *Server) Enqueue(ep Endpoint, replies ...Reply) {
	s.script.Enqueue(ep, replies...)
}

// EnqueueChat is Enqueue(EndpointChat, replies...).
func (s *Server) EnqueueChat(replies ...Reply) { s.Enqueue(EndpointChat, replies...) }

// EnqueueEmbed is Enqueue(EndpointEmbed, replies...).
func (s *Server) EnqueueEmbed(replies ...Reply) { s.Enqueue(EndpointEmbed, replies...) }

// SetDefault sets the reply of the endpoint when its queue is empty.
func (s *Server) SetDefault(ep Endpoint, r Reply) {
	s.script.SetDefault(ep, r)
}

// Pending is the number of queued replies the endpoint has not used.
func (s *Server) Pending(ep Endpoint) int { return s.script.Pending(ep) }

func (s *Server) next(ep Endpoint) Reply {
	if r, ok := s.script.Next(ep); ok {
		return r
	}
	if ep == EndpointEmbed {
		return HashEmbeddings()
	}
	return Echo()
}
