package tracing

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/conventions"
	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/spans"
	"github.com/tracegate/tracegate/framework/verdict"
)

// semconvServerSpan is a SERVER span for the row's request that meets every level (as Caddy
// v2.11.9 exports it for a GET with a port in its Host, with the recommended attributes it sets),
// changed by edit.
func semconvServerSpan(edit func(map[string]any)) spans.Span {
	attrs := map[string]any{
		"client.address": "127.0.0.1", "http.request.method": "GET", "http.response.status_code": int64(200),
		"network.peer.address": "127.0.0.1", "network.peer.port": int64(60954), "network.protocol.version": "1.1",
		"server.address": "semconv.example.com", "server.port": int64(8443), "url.path": "/semconv/attributes",
		"url.scheme": "http", "user_agent.original": semconvUserAgent,
	}
	edit(attrs)
	return spans.Span{Kind: spans.KindServer, Name: "GET", Attributes: attrs}
}

// semconvRowEnd runs a SemanticConventions row's judgement of span as the row's body does: the
// failure its requirements fail with (nil where met), and else how the row ends.
func semconvRowEnd(t *testing.T, span spans.Span) (*difference.Failure, verdict.Kind, string) {
	t.Helper()
	RegisterTestingT(t)
	card := conventions.Score(span, conventions.Server, semconvRow{x: semconvGet}.exchange("http://127.0.0.1:8080"), conventions.Semconv)
	if f := difference.Intercept(func() { Expect(card).To(conventions.MeetRequirements()) }); f != nil {
		return f, "", ""
	}
	kind, reason := semconvOutcome(card, config.Implementation{Name: "gw", AttributeNaming: "semconv"}, "profiles/gw.yaml")
	return nil, kind, reason
}

// Recommended is below MUST: a span that misses only a recommended attribute meets the row's
// requirements, and the row ends advisory, naming the attribute and its level; never a failure
// nor a deviation to declare.
func TestSemconvRecommendedMissingOnlyIsAdvisory(t *testing.T) {
	if f, kind, _ := semconvRowEnd(t, semconvServerSpan(func(map[string]any) {})); f != nil || kind != verdict.Passed {
		t.Fatalf("a span meeting every level: failure %v, end %q; want passed", f, kind)
	}
	f, kind, reason := semconvRowEnd(t, semconvServerSpan(func(a map[string]any) { delete(a, "user_agent.original") }))
	if f != nil {
		t.Fatalf("user_agent.original (recommended) missing failed the row: %s", f.Message)
	}
	if kind != verdict.Advisory || !strings.Contains(reason, "user_agent.original (recommended): missing") {
		t.Errorf("user_agent.original missing: end %q, %q; want advisory naming it and its level", kind, reason)
	}
}

// Required and Conditionally Required are MUST: one missing fails the row (or is the deviation
// a profile declares), and so does a wrong value at any level, a recommended attribute's too;
// none of these failures is advisory.
func TestSemconvRequiredMissingOrWrongValueFails(t *testing.T) {
	for what, edit := range map[string]func(map[string]any){
		"url.path (required): missing": func(a map[string]any) { delete(a, "url.path") },
		"server.port (conditionally required, if available and server.address is set): missing": func(a map[string]any) {
			delete(a, "server.port")
		},
		"http.response.status_code (conditionally required, if and only if one was received or sent): wrong-value": func(a map[string]any) {
			a["http.response.status_code"] = int64(404)
		},
		"user_agent.original (recommended): wrong-value": func(a map[string]any) { a["user_agent.original"] = "someone-else/2.0" },
	} {
		f, kind, _ := semconvRowEnd(t, semconvServerSpan(edit))
		if f == nil {
			t.Errorf("%s: the row ended %q, want a failure", what, kind)
			continue
		}
		if !f.Listed || advisory(f.Differences) {
			t.Errorf("%s: the failure %+v is advisory or lists no difference", what, f.Differences)
		}
		if !strings.Contains(f.Message, what) {
			t.Errorf("the failure does not say %q:\n%s", what, f.Message)
		}
	}
}
