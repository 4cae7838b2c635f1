package bench

import (
	"regexp"
)

// TraceLogged reports whether a collector log holds a span of the trace: the debug exporter at
// verbosity detailed writes a "Trace ID : <hex>" line for each span (padded with spaces before
// the colon; inside a JSON string when the collector logs JSON).
func TraceLogged(log []byte, traceID string) bool {
	return regexp.MustCompile(`Trace ID\s*:\s*` + regexp.QuoteMeta(traceID) + `\b`).Match(log)
}
