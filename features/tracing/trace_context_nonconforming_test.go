package tracing

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/request"
)

// What a gateway that breaks a row's rule would send upstream fails the row: the rows that the
// W3C harness checks only in part.

// A gateway that continues the second of two traceparent headers: the row fails, naming the
// header whose trace was continued.
func TestTwoTraceParentsRowFailsAGatewayContinuingTheSecond(t *testing.T) {
	const row = "two traceparent headers are invalid"
	sent := vectorNamed(t, row).headers(ctxCaller)
	second, err := request.ParseTraceParent(sent[1].value)
	if err != nil || second.TraceID == ctxCaller.TraceID {
		t.Fatalf("the row's second header %q is not another valid trace: %v", sent[1].value, err)
	}
	continued := request.TraceParent{TraceID: second.TraceID, ParentID: ctxOther.ParentID, Sampled: true}
	f := rowFailureOf(t, row, sent, http.Header{"Traceparent": {continued.String()}})
	want := "seen: the gateway continued the caller's trace " + second.TraceID + ", of its traceparent header 2"
	if len(f.Differences) != 1 || !strings.Contains(f.Differences[0].String(), want) {
		t.Errorf("the failure lists %+v, want one difference showing %q", f.Differences, want)
	}
	// The first header continued fails it too, as before.
	first := request.TraceParent{TraceID: ctxCaller.TraceID, ParentID: ctxOther.ParentID, Sampled: true}
	if f := rowFailureOf(t, row, sent, http.Header{"Traceparent": {first.String()}}); !strings.Contains(
		f.Message,
		"seen: the gateway continued the caller's trace "+ctxCaller.TraceID+"\n",
	) {
		t.Errorf("continuing the first header: %s", f.Message)
	}
}

// A gateway that forwards a future version as sent, its parent-id replaced and its unknown
// fields kept: both future-version rows fail, as the outgoing traceparent must be version 00.
func TestFutureVersionRowsFailAGatewayForwardingTheVersionAsSent(t *testing.T) {
	for row, tail := range map[string]string{
		"a future version is parsed like version 00":      "",
		"a future version with extra fields is continued": "-what-the-future-will-be-like",
	} {
		forwarded := "cc-" + ctxCaller.TraceID + "-" + ctxOther.ParentID + "-01" + tail
		f := rowFailure(t, row, http.Header{"Traceparent": {forwarded}})
		want := `seen: the upstream received traceparent "` + forwarded + `", not of version 00`
		if len(f.Differences) != 1 || !strings.Contains(f.Differences[0].String(), want) {
			t.Errorf("%q: the failure lists %+v, want one difference showing %q", row, f.Differences, want)
		}
	}
}
