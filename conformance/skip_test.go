package conformance

import (
	"strings"
	"testing"
)

// WithSkip takes stable IDs; one that names no spec or row stops Run before anything starts,
// naming it, and a sentence is not an ID.
func TestWithSkipTakesIDs(t *testing.T) {
	o, err := newOptions([]Option{WithSkip("sampling-zero"), WithSkip("tc-two-traceparents-invalid")})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.skip) != 2 {
		t.Errorf("skip list %v; want both IDs", o.skip)
	}
	_, err = newOptions([]Option{WithSkip("sampling-zero", "two traceparent headers are invalid")})
	if err == nil || !strings.Contains(err.Error(), "WithSkip") || !strings.Contains(err.Error(), `two traceparent headers are invalid`) {
		t.Errorf("a sentence given as an ID: %v; want an error naming it", err)
	}
}
