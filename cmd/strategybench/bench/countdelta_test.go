package bench

import "testing"

func TestCountDeltaDecide(t *testing.T) {
	for _, c := range []struct {
		name             string
		check            CountDelta
		after            int
		done, wantPassed bool
	}{
		{"not grown yet", CountDelta{Before: 5}, 5, false, false},
		{"grown by one", CountDelta{Before: 5}, 6, true, true},
		{"grown by three passes the default form", CountDelta{Before: 5}, 8, true, true},
		{"exact, not grown yet", CountDelta{Before: 5, Exact: true}, 5, false, false},
		{"exact, grown by one", CountDelta{Before: 5, Exact: true}, 6, true, true},
		{"exact, grown by two can never pass", CountDelta{Before: 5, Exact: true}, 7, true, false},
		{"a count below before is not growth", CountDelta{Before: 5}, 4, false, false},
	} {
		done, passed := c.check.Decide(c.after)
		if done != c.done || passed != c.wantPassed {
			t.Errorf("%s: Decide(%d) = (done %v, passed %v), want (%v, %v)", c.name, c.after, done, passed, c.done, c.wantPassed)
		}
	}
}

func TestVerdictWrong(t *testing.T) {
	for _, c := range []struct {
		v    Verdict
		want bool
	}{
		{Verdict{Passed: true, Own: true}, false},
		{Verdict{Passed: true, Own: false}, true}, // passed on another client's trace
		{Verdict{Passed: false, Own: true}, true}, // failed although the trace arrived
		{Verdict{Passed: false, Own: false}, false},
	} {
		if got := c.v.Wrong(); got != c.want {
			t.Errorf("%+v.Wrong() = %v, want %v", c.v, got, c.want)
		}
	}
}
