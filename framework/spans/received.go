package spans

import (
	"fmt"
	"strconv"
	"strings"
)

// Received is what a query returned at one moment: the spans of one trace, plus how many spans
// the receiver had to drop, so that a failure can tell "never sent" from "sent but dropped".
type Received struct {
	// Query says what was asked for, e.g. "trace 4bf9...", for failure messages.
	Query   string
	TraceID string
	Spans   List
	Dropped int64
}

// Of returns a function that queries src for a trace each time it is called: the shape
// Gomega's Eventually and Consistently poll.
func Of(src Source, traceID string) func() Received {
	return func() Received {
		return Received{Query: "trace " + orUnknown(traceID), TraceID: traceID, Spans: src.Trace(traceID), Dropped: src.Dropped()}
	}
}

// Mentioning returns a function that finds, in every trace, the spans with an attribute value
// containing s. It is for requests whose trace id the suite cannot know (a trace the gateway
// started and did not sample propagates no id): send them with a unique Host and look for that.
func Mentioning(src Source, s string) func() Received {
	return func() Received {
		var found List
		for _, span := range src.All() {
			if mentions(span, s) {
				found = append(found, span)
			}
		}
		return Received{Query: "spans mentioning " + strconv.Quote(s), Spans: found, Dropped: src.Dropped()}
	}
}

func mentions(span Span, s string) bool {
	for _, v := range span.Attributes {
		if strings.Contains(fmt.Sprint(v), s) {
			return true
		}
	}
	return false
}
