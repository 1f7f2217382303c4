package openaitest

// Enqueue appends replies to the endpoint's FIFO queue: each request to the
// endpoint takes the next one; when the queue is empty the default answers.
func (s *Server) Enqueue(ep Endpoint, replies ...Reply) {
	s.script.Enqueue(ep, replies...)
}

// EnqueueChat is Enqueue(EndpointChat, replies...).
func (s *Server) EnqueueChat(replies ...Reply) { s.Enqueue(EndpointChat, replies...) }

// EnqueueEmbeddings is Enqueue(EndpointEmbeddings, replies...).
func (s *Server) EnqueueEmbeddings(replies ...Reply) { s.Enqueue(EndpointEmbeddings, replies...) }

// SetDefault sets the reply the endpoint gives when its queue is empty
// (typically a [Func]).
func (s *Server) SetDefault(ep Endpoint, r Reply) {
	s.script.SetDefault(ep, r)
}

// Pending is the number of queued replies the endpoint has not used yet.
func (s *Server) Pending(ep Endpoint) int { return s.script.Pending(ep) }

func (s *Server) next(ep Endpoint) Reply {
	if r, ok := s.script.Next(ep); ok {
		return r
	}
	switch ep {
	case EndpointChat:
		return Echo()
	case EndpointEmbeddings:
		return HashEmbeddings()
	default:
		return ModelList(s.cfg.models...)
	}
}
