package retrieval

import (
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/abbrev"
)

// Sentinel errors, for errors.Is.
var (
	// ErrEmptyID: a document has no ID.
	ErrEmptyID = errors.New("retrieval: document has no ID")
	// ErrEmptyText: a document's text is empty or only white space.
	ErrEmptyText = errors.New("retrieval: document has no text")
	// ErrInvalidText: a text or ID is not valid UTF-8 or holds a NUL
	// character (PostgreSQL cannot store either).
	ErrInvalidText = errors.New("retrieval: text is not valid UTF-8 or holds a NUL character")
	// ErrDimension matches a *DimensionError: a vector of the wrong length.
	ErrDimension = errors.New("retrieval: wrong vector dimension")
	// ErrInvalidVector: a vector holds a NaN or an infinity, or has zero
	// length under the cosine metric (its direction is undefined).
	ErrInvalidVector = errors.New("retrieval: invalid vector")
	// ErrInvalidMetadata: metadata JSON cannot hold (a NaN, an infinity, a
	// channel or function) or a string or key with a NUL character or
	// invalid UTF-8 (refused, never replaced with U+FFFD).
	ErrInvalidMetadata = errors.New("retrieval: invalid metadata")
	// ErrTooLong: an ID or text longer than a store's limit (see the
	// store's documentation).
	ErrTooLong = errors.New("retrieval: value too long")
	// ErrInvalidDocument matches every *DocumentError: a document of a
	// batch was refused before anything was written.
	ErrInvalidDocument = errors.New("retrieval: invalid document")
	// ErrInvalidFilter: a filter that cannot be evaluated (see Filter).
	ErrInvalidFilter = errors.New("retrieval: invalid filter")
	// ErrInvalidK: a search asked for fewer than one result.
	ErrInvalidK = errors.New("retrieval: k must be at least 1")
	// ErrEmptyQuery: a retriever was asked an empty query.
	ErrEmptyQuery = errors.New("retrieval: empty query")
)

// DimensionError is a vector whose length is not the store's dimension.
// Got is 0 when a document has no embedding at all.
type DimensionError struct {
	Want, Got int
}

// Error says which dimension was expected.
func (e *DimensionError) Error() string {
	if e.Got == 0 {
		return fmt.Sprintf("retrieval: no embedding (want a vector of dimension %d)", e.Want)
	}
	return fmt.Sprintf("retrieval: vector has dimension %d, want %d", e.Got, e.Want)
}

// Is reports whether target is ErrDimension.
func (e *DimensionError) Is(target error) bool { return target == ErrDimension }

// DocumentError says which document of a batch was refused and why. It
// matches ErrInvalidDocument and, through Unwrap, the reason (ErrEmptyID,
// ErrInvalidText, ErrTooLong, ErrInvalidMetadata, ErrDimension...).
type DocumentError struct {
	Index int    // position in the batch, from 0
	ID    string // the document's ID, whole (the message shortens it)
	Err   error  // the reason
}

// Error names the document, its ID shortened to at most 64 bytes of
// valid UTF-8, and the reason.
func (e *DocumentError) Error() string {
	return fmt.Sprintf("retrieval: document %d (id %s): %v", e.Index, abbrev.Quote(e.ID, 64), e.Err)
}

// Unwrap returns the reason.
func (e *DocumentError) Unwrap() error { return e.Err }

// Is reports whether target is ErrInvalidDocument.
func (e *DocumentError) Is(target error) bool { return target == ErrInvalidDocument }

// configPanic is what constructors panic with when a programmer passes an
// invalid argument (a size below 1, a nil store), as the chain package's
// constructors do: the error matches chain.ErrConfig.
func configPanic(fn, format string, args ...any) {
	panic(configError(fn, format, args...))
}

// configError is the error constructors return on an invalid argument or
// option: it matches chain.ErrConfig.
func configError(fn, format string, args ...any) error {
	return fmt.Errorf("retrieval.%s: %w: %s", fn, chain.ErrConfig, fmt.Sprintf(format, args...))
}

// must returns v, or panics with err: the MustX forms of the constructors.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
