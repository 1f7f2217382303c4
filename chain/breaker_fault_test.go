package chain_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// statusErr is a provider's error carrying an HTTP status, as llm.Error.
type statusErr struct {
	status    int
	retryable bool
}

func (e statusErr) Error() string   { return fmt.Sprintf("HTTP %d", e.status) }
func (e statusErr) HTTPStatus() int { return e.status }
func (e statusErr) Retryable() bool { return e.retryable }

// permanentErr says a retry would not help.
type permanentErr struct{}

func (permanentErr) Error() string   { return "output does not fit the schema" }
func (permanentErr) Retryable() bool { return false }

func TestIsFault(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"caller's cancellation", fmt.Errorf("model: %w", context.Canceled), false},
		{"deadline", fmt.Errorf("model: %w", context.DeadlineExceeded), true},
		{"timeout", &chain.TimeoutError{After: time.Second}, true},
		{"retryable", retryableErr{}, true},
		{"marked retryable", chain.MarkRetryable(errors.New("busy")), true},
		{"503", statusErr{503, true}, true},
		{"501, not retryable but 5xx", statusErr{501, false}, true},
		{"429", statusErr{429, true}, true},
		{"408", statusErr{408, true}, true},
		{"400", statusErr{400, false}, false},
		{"404", statusErr{404, false}, false},
		{"422 wrapped", fmt.Errorf("classify: %w", statusErr{422, false}), false},
		{"invalid input", chain.MarkInvalidInput(errors.New("no messages")), false},
		{"invalid input around a retryable error", chain.MarkInvalidInput(retryableErr{}), false},
		{"says a retry would not help", permanentErr{}, false},
		{"says nothing of its cause", errors.New("connection refused"), true},
		{"panic", &chain.PanicError{Value: "x"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := chain.IsFault(tc.err); got != tc.want {
				t.Fatalf("IsFault(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

// TestBreakerTripsOnFaultsOnly: the default breaker opens on the
// dependency's faults, never on the caller's bad input, and TripIf still
// decides when given.
func TestBreakerTripsOnFaultsOnly(t *testing.T) {
	fail := func(err error) chain.Chain[int, int] {
		return chain.Fn(func(context.Context, int) (int, error) { return 0, err })
	}
	run := func(b *chain.CircuitBreaker[int, int], n int) {
		for range n {
			_, _ = b.Run(context.Background(), 1)
		}
	}
	for _, err := range []error{statusErr{400, false}, statusErr{404, false}, chain.MarkInvalidInput(errors.New("bad")), permanentErr{}, context.Canceled} {
		b := chain.Breaker(fail(err), chain.Threshold(2))
		if run(b, 10); b.State() != chain.Closed {
			t.Errorf("%v: breaker %v after 10 bad inputs, want closed", err, b.State())
		}
		if err := b.Check(context.Background()); err != nil {
			t.Errorf("Check: %v", err)
		}
	}
	for _, err := range []error{statusErr{503, true}, statusErr{429, true}, &chain.TimeoutError{After: time.Second}, retryableErr{}, errors.New("down")} {
		b := chain.Breaker(fail(err), chain.Threshold(2))
		if run(b, 2); b.State() != chain.Open {
			t.Errorf("%v: breaker %v after 2 faults, want open", err, b.State())
		}
		if err := b.Check(context.Background()); !errors.Is(err, chain.ErrOpen) {
			t.Errorf("Check: %v", err)
		}
	}
	// Bad inputs between faults neither count nor reset the count.
	calls := 0
	mixed := chain.Fn(func(context.Context, int) (int, error) {
		calls++
		if calls%2 == 0 {
			return 0, statusErr{400, false}
		}
		return 0, statusErr{503, true}
	})
	b := chain.Breaker(mixed, chain.Threshold(3))
	if run(b, 4); b.State() != chain.Closed {
		t.Fatalf("state %v after 2 faults and 2 bad inputs", b.State())
	}
	if run(b, 1); b.State() != chain.Open {
		t.Fatalf("state %v after 3 faults", b.State())
	}
	// TripIf overrides.
	b = chain.Breaker(fail(statusErr{400, false}), chain.Threshold(2), chain.TripIf(func(error) bool { return true }))
	if run(b, 2); b.State() != chain.Open {
		t.Fatalf("TripIf: state %v", b.State())
	}
}
