package schema

import (
	"errors"
	"strings"

	validator "github.com/santhosh-tekuri/jsonschema/v6"
)

// Sentinel errors, for errors.Is.
//
// This package imports nothing of Chorus, so its construction errors do
// not match chain.ErrConfig by themselves; the Chorus constructors that
// build a schema (llm.NewStructured, tools.New, serve.NewEndpoint...)
// wrap them so that they match both chain.ErrConfig and
// ErrUnsupportedType.
var (
	// ErrUnsupportedType matches the error New returns for a Go type that
	// has no JSON schema: a func, a chan, a complex number, an interface,
	// a map whose keys are not strings, or a recursive type.
	ErrUnsupportedType = errors.New("schema: type has no JSON schema")
	// ErrInvalid matches an *InvalidError: a document or a model's reply
	// that is not JSON valid against the schema, or does not decode into
	// the Go type.
	ErrInvalid = errors.New("schema: invalid document")
)

// maxErrorText bounds the validation message of an InvalidError, which is
// often sent back to the model that wrote the reply.
const maxErrorText = 2000

// InvalidError says why a document or a reply was refused, in words meant
// for whoever wrote it, a model included. It matches ErrInvalid.
type InvalidError struct {
	// Raw is the text refused, kept whole: the reply given to Parse or the
	// document given to Validate or Decode.
	Raw string
	// Reason is what was wrong, such as "the reply is not valid JSON" or
	// "the JSON does not match the schema".
	Reason string
	// Err is the cause, if any: the JSON syntax error, the validator's
	// *jsonschema.ValidationError (santhosh-tekuri/jsonschema/v6), whose
	// causes hold each violation with its JSON pointer, or encoding/json's
	// decoding error.
	Err error
}

// Error returns the reason and the validation message, bounded in length
// and without the schema's internal URL.
func (e *InvalidError) Error() string {
	if e.Err == nil {
		return e.Reason
	}
	msg := e.Err.Error()
	var ve *validator.ValidationError
	if errors.As(e.Err, &ve) {
		// The first line names the schema's internal URL; the causes follow.
		if _, rest, ok := strings.Cut(msg, "\n"); ok {
			msg = "\n" + rest
		}
	}
	if len(msg) > maxErrorText {
		msg = truncate(msg, maxErrorText) + " ..."
	}
	if strings.HasPrefix(msg, "\n") {
		return e.Reason + ":" + msg
	}
	return e.Reason + ": " + msg
}

// Unwrap returns the cause.
func (e *InvalidError) Unwrap() error { return e.Err }

// Is reports whether target is ErrInvalid.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

// truncate cuts s to at most n bytes, at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
