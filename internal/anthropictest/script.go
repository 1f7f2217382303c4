package anthropictest

// Enqueue appends replies to the FIFO queue: each request to POST
// /v1/messages takes the next one; when the queue is empty the default
// answers.
func (s *Server) Enqueue(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, replies...)
}

// SetDefault sets the reply given when the queue is empty (typically a
// [Func]).
func (s *Server) SetDefault(r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.def = &r
}

// Pending is the number of queued replies not used yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

func (s *Server) next() Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) > 0 {
		r := s.queue[0]
		s.queue[0] = Reply{}
		s.queue = s.queue[1:]
		return r
	}
	if s.def != nil {
		return *s.def
	}
	return Echo()
}
