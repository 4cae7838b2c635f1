package spans

// Received is what a query returned at one moment: the spans of one trace, plus how many spans
// the receiver had to drop, so that a failure can tell "never sent" from "sent but dropped".
type Received struct {
	TraceID string
	Spans   List
	Dropped int64
}

// Of returns a function that queries src for a trace each time it is called: the shape
// Gomega's Eventually and Consistently poll.
func Of(src Source, traceID string) func() Received {
	return func() Received {
		return Received{TraceID: traceID, Spans: src.Trace(traceID), Dropped: src.Dropped()}
	}
}
