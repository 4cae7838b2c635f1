package tracing

import (
	"math"
	"testing"
)

func TestSamplingClaimStatesTheBoundItProved(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{300, "0 of 300 new traces sampled: below 1% at 95% confidence"},
		{299, "0 of 299 new traces sampled: below 1% at 95% confidence"},
		{100, "0 of 100 new traces sampled: below 3% at 95% confidence"},
		{1, "0 of 1 new traces sampled: below 95% at 95% confidence"},
	} {
		c := newSamplingClaim(tc.n)
		if c.Statement != tc.want {
			t.Errorf("n=%d: %q, want %q", tc.n, c.Statement, tc.want)
		}
		// The bound is the leak that goes unseen in n traces with probability 1-confidence.
		if miss := math.Pow(1-c.Bound, float64(tc.n)); math.Abs(miss-0.05) > 1e-9 {
			t.Errorf("n=%d: bound %g misses with probability %g, want 0.05", tc.n, c.Bound, miss)
		}
	}
	// 298 traces do not rule out a 1% leak: the statement must not say they do.
	if c := newSamplingClaim(298); c.Bound <= 0.01 || c.Statement == newSamplingClaim(300).Statement {
		t.Errorf("n=298: bound %g, %q: claims more than 298 traces prove", c.Bound, c.Statement)
	}
}
