package bus

import (
	"context"
	"errors"
)

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks an error that no retry can fix (a malformed event, an unknown practice): the
// message goes to the dead-letter subject at once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// Transient reports whether an error means a dependency is unavailable (so the message is fine
// and should wait for redelivery) rather than that the message cannot be handled.
type Transient func(error) bool

func (t Transient) is(err error) bool {
	if errors.Is(err, context.Canceled) { // shutting down: let the message be redelivered
		return true
	}
	return !IsPermanent(err) && t != nil && t(err)
}
