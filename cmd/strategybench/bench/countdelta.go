package bench

// CountDelta is the trace-store strategy's check, as Envoy Gateway's tracing tests make it:
// count the traces a search finds before the request, then poll the count after it. Its
// default form passes once the count has grown (after > before); Exact is the stricter
// "after - before == 1".
type CountDelta struct {
	Before int
	Exact  bool
}

// Decide judges one count read after the request: done says whether polling can stop, passed
// is the verdict. The store only grows, so once the count is more than one above Before the
// exact form can never pass: it is decided then, as the failure its timeout would give.
func (c CountDelta) Decide(after int) (done, passed bool) {
	switch d := after - c.Before; {
	case d <= 0:
		return false, false
	case !c.Exact || d == 1:
		return true, true
	default:
		return true, false
	}
}

// Verdict is one trial's outcome under a strategy, and whether it was right.
type Verdict struct {
	Passed bool // the assertion passed within its timeout
	// Own says whether the request's own trace had arrived: in what the passing check read, or,
	// for a failure, by the end of the timeout.
	Own bool
}

// Wrong is a pass without the request's own trace, or a failure although it arrived.
func (v Verdict) Wrong() bool { return v.Passed != v.Own }
