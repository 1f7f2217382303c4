// Package faultplan is the fault schedule the adapters' fault-injection
// tests (llm/openai, llm/ollama) share: about one request in five fails,
// keyed on the call rather than on the order in which requests arrive, so
// that it cannot flake under concurrency. Call i asks "q<i>"; it fails its
// first attempt when i%4 == 0 and its second too when i%40 == 0, cycling
// through the kinds of fault; no call fails more than twice, which the
// adapters' default of two retries survives however the callers
// interleave (275 faults in 1,275 requests for 1,000 calls).
package faultplan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The kinds of fault, cycled through. How a test server injects each is
// the test's business.
const (
	RateLimited = iota // 429 with a Retry-After
	ServerError        // 500
	Overloaded         // 503
	Cut                // a dropped connection
	Malformed          // a 200 whose body is cut short
	Kinds
)

// Planned says whether attempt (0 for the first) of call i fails, and how.
func Planned(i, attempt int) (kind int, fault bool) {
	switch {
	case i%4 != 0, attempt > 1, attempt == 1 && i%40 != 0:
		return 0, false
	}
	return (i/4 + i/40 + attempt) % Kinds, true
}

// Faults is the number of faults the schedule injects into calls 0..n-1.
func Faults(n int) int {
	total := 0
	for i := range n {
		for attempt := 0; ; attempt++ {
			if _, fault := Planned(i, attempt); !fault {
				break
			}
			total++
		}
	}
	return total
}

// Plan counts a server's requests per call and the faults it injected.
// It is safe for concurrent use.
type Plan struct {
	mu       sync.Mutex
	attempts map[string]int // requests seen per key
	faults   [Kinds]int
}

// New returns a fresh plan.
func New() *Plan { return &Plan{attempts: map[string]int{}} }

// Next records a request of the call whose key is "q<i>" and says whether
// it fails, and how (i is the call's number).
func (p *Plan) Next(key string) (i, kind int, fault bool, err error) {
	i, err = strconv.Atoi(strings.TrimPrefix(key, "q"))
	if err != nil {
		return 0, 0, false, fmt.Errorf("unexpected key %q", key)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	attempt := p.attempts[key]
	p.attempts[key]++
	kind, fault = Planned(i, attempt)
	if fault {
		p.faults[kind]++
	}
	return i, kind, fault, nil
}

// Injected returns the faults injected so far, by kind.
func (p *Plan) Injected() [Kinds]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.faults
}

// Run runs call(i) for i in 0..n-1 from workers goroutines and returns
// the failures, sorted.
func Run(n, workers int, call func(i int) error) []string {
	var (
		mu       sync.Mutex
		failures []string
		wg       sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				if err := call(i); err != nil {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("call %d: %v", i, err))
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	slices.Sort(failures)
	return failures
}

// Check checks a run of calls calls against the plan: none failed, the
// server injected exactly the planned faults, of every kind, and saw
// requests requests, one per call plus one per fault.
func (p *Plan) Check(t testing.TB, failures []string, calls, requests int) {
	t.Helper()
	if len(failures) > 0 {
		t.Fatalf("%d of %d calls failed; the first: %s", len(failures), calls, failures[0])
	}
	faults := p.Injected()
	got := 0
	for kind, n := range faults {
		got += n
		if n == 0 {
			t.Errorf("no fault of kind %d was injected", kind)
		}
	}
	want := Faults(calls)
	if got != want {
		t.Errorf("the server injected %d faults, want %d", got, want)
	}
	if requests != calls+want {
		t.Errorf("the server saw %d requests, want %d calls + %d faults: no call was given up, none sent more than it had to", requests, calls, want)
	}
}
