// Package faulty is the flaky OpenAI-compatible server of the examples'
// tests: a schedule that makes every fifth request to the chat and
// embedding endpoints of an internal/openaitest server fail, cycling
// through the failures issue 11 lists (a 429 with Retry-After, a 500, a
// 503, a dropped connection, a garbled 200 body), and counts what it
// injected. It is a test helper: import it only from _test.go files.
package faulty

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/chorus-go/chorus/internal/openaitest"
)

// Kinds name the failures, in the order the schedule injects them.
var Kinds = []string{"429", "500", "503", "dropped", "garbled"}

// GarbledBody is the body of the "garbled" failure: a 200 whose JSON
// stops half way, as from a proxy that cut it.
const GarbledBody = `{"id": "chatcmpl-garbled", "object": "list", "choices": [{"index": 0, "mess`

// Schedule injects the failures. Set Every and RetryAfter before it
// serves; the zero value fails one request in 5, with a Retry-After of
// 10ms. It is safe for concurrent use.
type Schedule struct {
	// Every is the period: request Every, 2*Every... fail (default 5).
	Every int
	// RetryAfter is what the 429s ask to wait (default 10ms).
	RetryAfter time.Duration

	mu       sync.Mutex
	requests int
	injected map[string]int
}

// Serve makes srv's chat and embedding endpoints flaky: their requests
// are answered by chat and by openaitest.HashEmbeddings, except those the
// schedule fails.
func (s *Schedule) Serve(srv *openaitest.Server, chat openaitest.Reply) {
	srv.SetDefault(openaitest.EndpointChat, s.Wrap(chat))
	srv.SetDefault(openaitest.EndpointEmbeddings, s.Wrap(openaitest.HashEmbeddings()))
}

// Wrap returns a reply that is ok except on the requests the schedule
// fails.
func (s *Schedule) Wrap(ok openaitest.Reply) openaitest.Reply {
	return openaitest.Func(func(*openaitest.Request) openaitest.Reply {
		kind, fail := s.next()
		if !fail {
			return ok
		}
		return s.reply(kind)
	})
}

// next counts a request and says whether it fails, and how.
func (s *Schedule) next() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	every := s.Every
	if every < 1 {
		every = 5
	}
	s.requests++
	if s.requests%every != 0 {
		return "", false
	}
	n := 0
	for _, v := range s.injected {
		n += v
	}
	kind := Kinds[n%len(Kinds)]
	if s.injected == nil {
		s.injected = map[string]int{}
	}
	s.injected[kind]++
	return kind, true
}

func (s *Schedule) reply(kind string) openaitest.Reply {
	switch kind {
	case "429":
		ra := s.RetryAfter
		if ra <= 0 {
			ra = 10 * time.Millisecond
		}
		return openaitest.RateLimited(ra)
	case "500":
		return openaitest.ServerError()
	case "503":
		return openaitest.Overloaded()
	case "dropped":
		return openaitest.CutStream("")
	case "garbled":
		return openaitest.RawResponse(http.StatusOK, "application/json", GarbledBody)
	}
	panic("faulty: unknown kind " + kind)
}

// Requests is how many chat and embedding requests the schedule saw.
func (s *Schedule) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Injected is how many of them it failed.
func (s *Schedule) Injected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.injected {
		n += v
	}
	return n
}

// String says what was injected: "9 of 47 requests failed (429 2, 500 2, 503 2, dropped 2, garbled 1)".
func (s *Schedule) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, parts := 0, ""
	for _, k := range Kinds {
		n += s.injected[k]
		if parts != "" {
			parts += ", "
		}
		parts += fmt.Sprintf("%s %d", k, s.injected[k])
	}
	return fmt.Sprintf("%d of %d requests failed (%s)", n, s.requests, parts)
}
