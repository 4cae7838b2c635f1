package bench

import "testing"

// debugLog is the shape of the debug exporter's detailed output, as the benchmark's collector
// (v0.165.0) wrote it for one span.
const debugLog = `2026-12-01T04:32:05.867Z	info	ResourceSpans #0
Resource attributes:
     -> service.name: Str(tracegate-caddy)
Span #0
    Trace ID       : 5b8efff798038103d269b633813fc60c
    Parent ID      : 
    ID             : eee19b7ec3c1b174
    Name           : strategy.example.com
`

func TestTraceLogged(t *testing.T) {
	for _, c := range []struct {
		name, log, id string
		want          bool
	}{
		{"the span's trace", debugLog, "5b8efff798038103d269b633813fc60c", true},
		{"another trace", debugLog, "0af7651916cd43dd8448eb211c80319c", false},
		{"the span id is no trace id", debugLog, "eee19b7ec3c1b174", false},
		{"a trace id it only starts with", debugLog, "5b8efff798038103d269b633813fc60", false},
		{
			"inside a JSON log line",
			`{"msg":"Span #0\n    Trace ID       : 5b8efff798038103d269b633813fc60c\n"}`,
			"5b8efff798038103d269b633813fc60c",
			true,
		},
		{"an empty log", "", "5b8efff798038103d269b633813fc60c", false},
	} {
		if got := TraceLogged([]byte(c.log), c.id); got != c.want {
			t.Errorf("%s: TraceLogged = %v, want %v", c.name, got, c.want)
		}
	}
}
