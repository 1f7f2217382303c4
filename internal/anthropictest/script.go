package anthropictest

// Enqueue appends replies to the FIFO queue: each request to POST
// /v1/messages takes the next one; when the queue is empty the default
// answers.
func (s *Server) Enqueue(replies ...Reply) {
	s.script.Enqueue(messages, replies...)
}

// SetDefault sets the reply given when the queue is empty (typically a
// [Func]).
func (s *Server) SetDefault(r Reply) {
	s.script.SetDefault(messages, r)
}

// Pending is the number of queued replies not used yet.
func (s *Server) Pending() int { return s.script.Pending(messages) }

func (s *Server) next() Reply {
	if r, ok := s.script.Next(messages); ok {
		return r
	}
	return Echo()
}

// messages keys the server's one queue (POST /v1/messages).
const messages = 0
