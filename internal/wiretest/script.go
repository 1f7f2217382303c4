package wiretest

import "sync"

// Script holds the scripted replies of a test server, a FIFO queue and a
// default per key (an endpoint; servers with one endpoint use a single
// key). Its zero value is ready; it is safe for concurrent use.
type Script[K comparable, R any] struct {
	mu       sync.Mutex
	queues   map[K][]R
	defaults map[K]R
}

// Enqueue appends replies to k's queue.
func (s *Script[K, R]) Enqueue(k K, replies ...R) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.queues == nil {
		s.queues = map[K][]R{}
	}
	s.queues[k] = append(s.queues[k], replies...)
}

// SetDefault sets the reply k gives when its queue is empty.
func (s *Script[K, R]) SetDefault(k K, r R) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.defaults == nil {
		s.defaults = map[K]R{}
	}
	s.defaults[k] = r
}

// Pending is the number of queued replies of k not used yet.
func (s *Script[K, R]) Pending(k K) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queues[k])
}

// Next takes the oldest queued reply of k, or else k's default; ok is
// false when k has neither.
func (s *Script[K, R]) Next(k K) (r R, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.queues[k]; len(q) > 0 {
		r = q[0]
		var zero R
		q[0] = zero // let the reply be collected
		s.queues[k] = q[1:]
		return r, true
	}
	r, ok = s.defaults[k]
	return r, ok
}
