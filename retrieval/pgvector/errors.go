package pgvector

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/chorus-go/chorus/chain"
)

// Sentinel errors, for errors.Is.
var (
	// ErrInvalidIdentifier: a table, schema, column or text search
	// configuration name that is not a plain identifier. It matches
	// chain.ErrConfig.
	ErrInvalidIdentifier error = configSentinel("pgvector: invalid identifier")
	// ErrInvalidConfig: an option out of range or a combination that
	// cannot work (an HNSW index on pgvector before 0.5, a dimension the
	// index cannot hold). It matches chain.ErrConfig.
	ErrInvalidConfig error = configSentinel("pgvector: invalid configuration")
	// ErrSchema: the table exists with columns of other types or another
	// dimension.
	ErrSchema = errors.New("pgvector: table does not match")
	// ErrNoTextSearch: HybridSearch on a store made with TextSearch("").
	ErrNoTextSearch = errors.New("pgvector: store has no full-text column")
)

// configSentinel is a sentinel error that also matches chain.ErrConfig.
type configSentinel string

func (e configSentinel) Error() string        { return string(e) }
func (e configSentinel) Is(target error) bool { return target == chain.ErrConfig }

// BatchError is returned by Upsert when a batch failed: Committed
// documents (whole batches, in order) were stored before it, the failed
// batch was rolled back, and the ones after it were not tried. Upserting
// the documents again is safe.
type BatchError struct {
	Batch     int // index of the failed batch, from 0
	Committed int // documents committed before it
	Err       error
}

// Error says which batch failed and what was committed.
func (e *BatchError) Error() string {
	return fmt.Sprintf("pgvector: upsert batch %d failed (%d documents committed before it): %v", e.Batch, e.Committed, e.Err)
}

// Unwrap returns the batch's error.
func (e *BatchError) Unwrap() error { return e.Err }

// wrap names the operation and marks errors of a lost connection or a
// transient server state as retryable (chain.IsRetryable).
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("pgvector: %s: %w", op, mark(err))
}

// mark marks err retryable when it is transient.
func mark(err error) error {
	if transient(err) {
		return chain.MarkRetryable(err)
	}
	return err
}

// transient reports whether trying again may succeed: the connection was
// lost or refused, the server is shutting down or starting, or the
// transaction lost a serialization or deadlock race.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "40001", "40P01", "57P01", "57P02", "57P03", "53300":
			return true
		}
		return len(pgErr.Code) == 5 && pgErr.Code[:2] == "08"
	}
	var netErr net.Error
	if errors.As(err, &netErr) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return true
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return true
	}
	return errors.Is(err, net.ErrClosed) || isEOF(err)
}
