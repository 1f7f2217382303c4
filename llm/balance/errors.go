package balance

import (
	"errors"
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// ErrNoReplica matches a *NoReplicaError: every replica is cooling down.
var ErrNoReplica = errors.New("balance: no replica available")

// NoReplicaError is returned when every replica is cooling down after
// failures and the balancer does not wait (see WithWaitForReplica). Until is
// the soonest time one of them may take traffic again; Cause is the
// failure that sent the last replica into cooldown.
type NoReplicaError struct {
	Replicas int
	Until    time.Time
	Cause    error
	at       time.Time // when the error was made, on the balancer's clock
}

// Error says how many replicas are down and when the first one returns.
func (e *NoReplicaError) Error() string {
	s := fmt.Sprintf("all %d replicas cooling down until %s", e.Replicas, e.Until.Format(time.RFC3339Nano))
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Is reports whether target is ErrNoReplica.
func (e *NoReplicaError) Is(target error) bool { return target == ErrNoReplica }

// Unwrap returns the cause.
func (e *NoReplicaError) Unwrap() error { return e.Cause }

// Retryable reports true: a replica will be back after Until.
func (e *NoReplicaError) Retryable() bool { return true }

// RetryAfter returns how long until a replica may take traffic again,
// so that chain.Retry around a balancer waits for it.
func (e *NoReplicaError) RetryAfter() time.Duration { return e.Until.Sub(e.at) }

// ReplicaError is the failure of the replica a call went to last. Index
// and Name say which replica; Unwrap returns its error, so errors.Is and
// errors.As find an *llm.Error and chain.IsRetryable sees through it.
type ReplicaError struct {
	Index int
	Name  string
	Err   error
}

// Error names the replica and its failure.
func (e *ReplicaError) Error() string { return "replica " + e.Name + ": " + e.Err.Error() }

// Unwrap returns the replica's error.
func (e *ReplicaError) Unwrap() error { return e.Err }

// configError is a constructor's error; it matches chain.ErrConfig.
type configError struct {
	fn     string
	reason string
	err    error
}

func (e *configError) Error() string { return "balance." + e.fn + ": " + e.reason }

func (e *configError) Is(target error) bool { return target == chain.ErrConfig }

func (e *configError) Unwrap() error { return e.err }
