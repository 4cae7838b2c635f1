package request

import (
	"context"
	"errors"
	"io"
	"net"
	"slices"
	"syscall"
)

// Class is why an attempt ended. Only transient classes are retried.
type Class string

// The attempt classes. A response of any status is ClassResponse unless its status is one the
// request policy lists as retryable.
const (
	ClassResponse        Class = "response"
	ClassRetryableStatus Class = "retryable status"
	ClassRefused         Class = "connection refused"
	ClassReset           Class = "connection reset"
	ClassAttemptTimeout  Class = "attempt timeout"
	ClassCanceled        Class = "canceled"
	ClassError           Class = "error"
)

// Transient reports whether an attempt that ended this way may be repeated. A response with a
// wrong body, a wrong span or any status the policy does not list is never transient.
func (c Class) Transient() bool {
	switch c {
	case ClassRetryableStatus, ClassRefused, ClassReset, ClassAttemptTimeout:
		return true
	}
	return false
}

// classifyError says why a round trip failed. parent is the spec's context: when it is done,
// the failure is the spec ending, not a transient network problem.
func classifyError(parent context.Context, err error) Class {
	switch {
	case parent.Err() != nil:
		return ClassCanceled
	case errors.Is(err, syscall.ECONNREFUSED):
		return ClassRefused
	// A server that closes the connection before answering (EOF) is a reset as far as a client
	// can tell; both happen while a gateway restarts or a listener is not yet ready.
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return ClassReset
	case errors.Is(err, context.DeadlineExceeded):
		return ClassAttemptTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ClassAttemptTimeout
	}
	return ClassError
}

func classifyStatus(status int, retryable []int) Class {
	if slices.Contains(retryable, status) {
		return ClassRetryableStatus
	}
	return ClassResponse
}
