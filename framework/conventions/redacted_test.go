package conventions_test

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/conventions"
	"github.com/tracegate/tracegate/framework/spans"
)

// A query value scrubbed to REDACTED is what the conventions ask for sensitive values: the
// attribute is reported redacted, with the setting that controls it, and fails nothing; any
// other change to the query is still a wrong value.
func TestRedactedQueryIsAllowed(t *testing.T) {
	sent := get
	sent.Query = "q=semconv&sig=abc123"
	for _, tc := range []struct {
		name, query string
		want        conventions.AttributeResult
	}{
		{"as sent", "q=semconv&sig=abc123", conventions.Present},
		{"sig scrubbed", "q=semconv&sig=REDACTED", conventions.Redacted},
		{"every value scrubbed", "q=REDACTED&sig=REDACTED", conventions.Redacted},
		{"a key dropped", "q=semconv", conventions.WrongValue},
		{"a key renamed", "q=semconv&sag=REDACTED", conventions.WrongValue},
		{"a value changed otherwise", "q=semconv&sig=xxx", conventions.WrongValue},
		{"the whole query scrubbed", "REDACTED", conventions.WrongValue},
	} {
		span := caddySpan()
		span.Attributes["url.query"] = tc.query
		c := conventions.Score(span, conventions.Server, sent, conventions.Semconv)
		a := byAttribute(c)["url.query"]
		if a.Result != tc.want {
			t.Errorf("%s: url.query %q is %s, want %s", tc.name, tc.query, a.Result, tc.want)
		}
		problems := strings.Join(c.Problems(), "\n")
		if (tc.want == conventions.WrongValue) != strings.Contains(problems, "url.query") {
			t.Errorf("%s: problems %q", tc.name, problems)
		}
		if tc.want == conventions.Redacted && !strings.Contains(a.Note, "sensitive_query_parameters") {
			t.Errorf("%s: the note does not name the setting: %q", tc.name, a.Note)
		}
	}
}

// The CLIENT span's url.full may carry the scrubbed query too.
func TestRedactedURLFullIsAllowed(t *testing.T) {
	sent := get
	sent.Query = "sig=abc123"
	span := spans.Span{Kind: spans.KindClient, Name: "GET", Attributes: map[string]any{
		"http.request.method": "GET", "server.address": "127.0.0.1", "server.port": int64(38047), "http.response.status_code": int64(200),
		"url.full": "http://127.0.0.1:38047/semconv/attributes?sig=REDACTED",
	}}
	c := conventions.Score(span, conventions.Client, sent, conventions.Semconv)
	if a := byAttribute(c)["url.full"]; a.Result != conventions.Redacted {
		t.Errorf("url.full %s is %s, want redacted: %v", a.Seen, a.Result, c.Problems())
	}
}
