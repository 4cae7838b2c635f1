// Package wait is the one polling primitive: it polls a condition within a named wait from
// ginkgo.yaml and, when the wait runs out, says which wait it was and what it saw last.
package wait

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tracegate/tracegate/framework/config"
)

// Check reports whether the condition holds and, when it does not, what it saw instead
// ("status 503", "not found"). An error stops the wait at once: return one only for what
// polling cannot fix, such as a process that exited.
type Check func(ctx context.Context) (done bool, seen string, err error)

// For polls check at once and then every w.Polling, until it is done, it fails, ctx ends or
// w.Timeout passes. what names the condition in the error, e.g. "caddy to answer GET /ready".
func For(ctx context.Context, w config.Wait, what string, check Check) error {
	if w.Timeout <= 0 || w.Polling <= 0 {
		return fmt.Errorf("waiting for %s: wait %s has timeout %s and polling %s; both must be > 0", what, w.Describe(), w.Timeout, w.Polling)
	}
	deadline, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	start, last := time.Now(), ""
	for {
		done, seen, err := check(deadline)
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		if done {
			return nil
		}
		if seen != "" {
			last = seen
		}
		if Sleep(deadline, w.Polling) != nil {
			if ctx.Err() != nil { // the caller ended it: an interrupt or the spec's own timeout
				return fmt.Errorf("stopped waiting for %s after %s (%v); last seen: %s", what, since(start), context.Cause(ctx), orNothing(last))
			}
			return &TimeoutError{Wait: w, What: what, Last: last}
		}
	}
}

// TimeoutError is a wait that ran out.
type TimeoutError struct {
	Wait config.Wait
	What string // the condition waited for
	Last string // what the last poll saw
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("waited %s for %s (wait %s); last seen: %s", e.Wait.Timeout, e.What, e.Wait.Describe(), orNothing(e.Last))
}

// IsTimeout reports whether err is, or wraps, a wait that ran out.
func IsTimeout(err error) bool {
	var t *TimeoutError
	return errors.As(err, &t)
}

// Sleep waits d, or until ctx ends, whichever is first; it returns ctx's error in the second case.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

func orNothing(s string) string {
	if s == "" {
		return "nothing yet"
	}
	return s
}
