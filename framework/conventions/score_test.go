package conventions_test

import (
	"strings"
	"testing"

	"github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/conventions"
	"github.com/tracegate/tracegate/framework/spans"
)

var get = conventions.Exchange{Method: "GET", Scheme: "http", Host: "semconv.example.com", Port: 8443,
	Path: "/semconv/attributes", UserAgent: "tracegate-semconv/1.0", Status: 200}

// caddySpan is the SERVER span Caddy v2.11.9 exported for get, as seen here.
func caddySpan() spans.Span {
	return spans.Span{Kind: spans.KindServer, Name: "semconv.example.com", Attributes: map[string]any{
		"client.address": "127.0.0.1", "http.request.method": "GET", "http.response.body.size": int64(353),
		"http.response.status_code": int64(200), "network.peer.address": "127.0.0.1", "network.peer.port": int64(60954),
		"network.protocol.version": "1.1", "server.address": "semconv.example.com", "server.port": int64(8443),
		"url.path": "/semconv/attributes", "url.scheme": "http", "user_agent.original": "tracegate-semconv/1.0",
	}}
}

// envoySpan is the SERVER span Envoy 1.40.0 exported for get, as seen here: older names, strings.
func envoySpan() spans.Span {
	return spans.Span{Kind: spans.KindServer, Name: "semconv.example.com:8443", Attributes: map[string]any{
		"component": "proxy", "http.method": "GET", "http.protocol": "HTTP/1.1", "http.status_code": "200",
		"http.url": "http://semconv.example.com:8443/semconv/attributes", "peer.address": "127.0.0.1",
		"request_size": "0", "response_size": "370", "user_agent": "tracegate-semconv/1.0",
	}}
}

func byAttribute(c conventions.Card) map[string]conventions.AttributeCheck {
	out := map[string]conventions.AttributeCheck{}
	for _, a := range c.Checks {
		out[a.Attribute] = a
	}
	return out
}

func TestTablesArePinnedToOneRelease(t *testing.T) {
	if conventions.Version != "1.43.0" || conventions.SchemaURL != "https://opentelemetry.io/schemas/1.43.0" {
		t.Fatalf(
			"the tables were reviewed against 1.43.0; the import now says %s: review every row, then update this test",
			conventions.SchemaURL,
		)
	}
	for _, table := range []conventions.Table{conventions.Server, conventions.Client} {
		seen := map[string]bool{}
		for _, r := range table.Rules {
			if seen[string(r.Key)] {
				t.Errorf("%s table has %s twice", table.Kind, r.Key)
			}
			seen[string(r.Key)] = true
		}
	}
}

func TestCaddysServerSpanMeetsTheRequirements(t *testing.T) {
	c := conventions.Score(caddySpan(), conventions.Server, get, conventions.Semconv)
	if p := c.Problems(); len(p) != 0 {
		t.Fatalf("problems: %v", p)
	}
	got := byAttribute(c)
	for attr, want := range map[string]conventions.AttributeResult{
		"http.request.method":          conventions.Present,
		"server.port":                  conventions.Present,
		"http.response.status_code":    conventions.Present,
		"url.query":                    conventions.NotApplicable,
		"error.type":                   conventions.NotApplicable,
		"http.route":                   conventions.NotApplicable,
		"http.request.method_original": conventions.NotApplicable,
		"client.port":                  conventions.NotSet,
		"http.request.header.<key>":    conventions.NotSet,
	} {
		if got[attr].Result != want {
			t.Errorf("%s: %+v, want %s", attr, got[attr], want)
		}
	}
	if got["http.response.status_code"].Seen != "200" || got["http.request.method"].Seen != `"GET"` {
		t.Errorf("seen values keep their type: %+v", got)
	}
	if g := c.Gaps(); len(g) != 0 {
		t.Errorf("gaps: %v", g)
	}
	if n := c.Report().Name; n.Recommended != "GET" || n.Follows || n.Seen != "semconv.example.com" {
		t.Errorf("span name %+v", n)
	}
}

func TestRequiredMissingOrWrongFails(t *testing.T) {
	withQuery := get
	withQuery.Query = "q=semconv"
	span := caddySpan()
	span.Attributes["server.port"] = "8443"
	delete(span.Attributes, "url.scheme")
	span.Attributes["url.path"] = "/elsewhere"
	c := conventions.Score(span, conventions.Server, withQuery, conventions.Semconv)
	problems := strings.Join(c.Problems(), "\n")
	for _, want := range []string{
		`url.query (conditionally required, if and only if one was received or sent): missing, expected "q=semconv"`,
		`server.port (conditionally required, if available and server.address is set): wrong-type, expected int 8443, got "8443"`,
		`url.scheme (required): missing, expected "http"`,
		`url.path (required): wrong-value, expected "/semconv/attributes", got "/elsewhere"`,
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}
	var matcherFailure string
	g := gomega.NewGomega(func(message string, _ ...int) { matcherFailure = message })
	g.Expect(c).To(conventions.MeetRequirements())
	for _, want := range []string{"Expected the SERVER span to carry the HTTP attributes semantic conventions 1.43.0 require for GET " +
		"/semconv/attributes?q=semconv (Host semconv.example.com:8443), answered 200 (attributeNaming semconv)",
		"but got: url.path (required): wrong-value", `server.port="8443"`} {
		if !strings.Contains(matcherFailure, want) {
			t.Errorf("matcher failure lacks %q:\n%s", want, matcherFailure)
		}
	}
}

func TestRecommendedMissingAndUnexpectedAreGaps(t *testing.T) {
	span := caddySpan()
	delete(span.Attributes, "user_agent.original")
	span.Attributes["error.type"] = "500"
	c := conventions.Score(span, conventions.Server, get, conventions.Semconv)
	if p := c.Problems(); len(p) != 0 {
		t.Fatalf("problems: %v", p)
	}
	gaps := strings.Join(c.Gaps(), "\n")
	if !strings.Contains(gaps, "user_agent.original (recommended): missing") ||
		!strings.Contains(gaps, "error.type (conditionally required, if the request has ended with an error (a 5xx for a server)): unexpected") {
		t.Errorf("gaps: %s", gaps)
	}
}

func TestUnknownMethodAndErrors(t *testing.T) {
	purge := get
	purge.Method, purge.Status, purge.Port = "PURGE", 500, 0
	span := caddySpan()
	span.Name = "HTTP"
	span.Attributes["http.request.method"] = "_OTHER"
	span.Attributes["http.response.status_code"] = int64(500)
	delete(span.Attributes, "server.port")
	c := conventions.Score(span, conventions.Server, purge, conventions.Semconv)
	problems := strings.Join(c.Problems(), "\n")
	for _, want := range []string{
		"http.request.method_original (conditionally required, if and only if it differs from http.request.method): missing, expected \"PURGE\"",
		"error.type (conditionally required, if the request has ended with an error (a 5xx for a server)): missing",
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}
	if byAttribute(c)["server.port"].Result != conventions.NotApplicable {
		t.Errorf("server.port without a port in the Host: %+v", byAttribute(c)["server.port"])
	}
	if n := conventions.SpanName(span, purge); !n.Follows || n.Recommended != "HTTP" {
		t.Errorf("an unknown method's span is named HTTP: %+v", n)
	}
	span.Attributes["http.request.method_original"] = "PURGE"
	span.Attributes["error.type"] = "500"
	if p := conventions.Score(span, conventions.Server, purge, conventions.Semconv).Problems(); len(p) != 0 {
		t.Errorf("problems: %v", p)
	}
}

func TestEnvoyNamesAreADeclaredDeviationNeverAPass(t *testing.T) {
	asSemconv := conventions.Score(envoySpan(), conventions.Server, get, conventions.Semconv)
	if m := byAttribute(asSemconv)["http.request.method"]; m.Result != conventions.Missing ||
		!strings.Contains(m.Note, "Envoy's http.method is set") {
		t.Errorf("under the conventions' naming Envoy's name counts for nothing, and says so: %+v", m)
	}
	c := conventions.Score(envoySpan(), conventions.Server, get, conventions.Envoy)
	if p := c.Problems(); len(p) != 0 {
		t.Fatalf("problems: %v", p)
	}
	got := byAttribute(c)
	for attr, seenAs := range map[string]string{"http.request.method": "http.method", "url.path": "http.url", "server.port": "http.url",
		"http.response.status_code": "http.status_code", "network.protocol.version": "http.protocol", "user_agent.original": "user_agent"} {
		if got[attr].Result != conventions.Deviation || got[attr].SeenAs != seenAs {
			t.Errorf("%s: %+v, want a deviation seen as %s", attr, got[attr], seenAs)
		}
	}
	if got["http.response.status_code"].Seen != `"200"` {
		t.Errorf("the older value is shown as it was: %+v", got["http.response.status_code"])
	}
	if d := strings.Join(c.Deviations(), ", "); !strings.Contains(d, "http.method for http.request.method, http.url for url.path, "+
		"url.scheme, server.port, server.address, http.status_code for http.response.status_code") {
		t.Errorf("deviations: %s", d)
	}
	if g := strings.Join(c.Gaps(), ", "); !strings.Contains(g, "network.peer.port (recommended, if network.peer.address is set): missing") ||
		strings.Contains(g, "user_agent") {
		t.Errorf("gaps: %s", g)
	}
	wrong := envoySpan()
	wrong.Attributes["http.status_code"] = "ok"
	if p := strings.Join(
		conventions.Score(wrong, conventions.Server, get, conventions.Envoy).Problems(),
		"\n",
	); !strings.Contains(p, `wrong-type, expected int 200, got "ok" as http.status_code`) {
		t.Errorf("an older name with a bad value fails: %s", p)
	}
	if p := strings.Join(
		conventions.Score(caddySpan(), conventions.Server, get, conventions.Envoy).Problems(),
		"\n",
	); !strings.Contains(p, "declare attributeNaming semconv") {
		t.Errorf("an Envoy naming the span no longer uses fails: %s", p)
	}
}

func TestEnvoysClientSpanLacksTheRequiredMethodAndURL(t *testing.T) {
	client := spans.Span{Kind: spans.KindClient, Name: "router upstream egress", Attributes: map[string]any{
		"http.protocol": "HTTP/1.1", "http.status_code": "200", "peer.address": "127.0.0.1:38047", "upstream_address": "127.0.0.1:38047",
	}}
	c := conventions.Score(client, conventions.Client, get, conventions.Envoy)
	problems := strings.Join(c.Problems(), "\n")
	if !strings.Contains(problems, "http.request.method (required): missing") || !strings.Contains(problems, "url.full (required): missing") {
		t.Errorf("problems: %s", problems)
	}
	got := byAttribute(c)
	if got["server.port"].Result != conventions.Deviation ||
		got["server.port"].SeenAs != "upstream_address" ||
		got["network.peer.port"].Result != conventions.Deviation {
		t.Errorf("upstream address read as server.address and port: %+v", got)
	}
	semconvClient := spans.Span{Kind: spans.KindClient, Name: "GET", Attributes: map[string]any{
		"http.request.method": "GET", "server.address": "127.0.0.1", "server.port": int64(38047), "http.response.status_code": int64(200),
		"url.full": "http://127.0.0.1:38047/semconv/attributes", "network.peer.address": "127.0.0.1", "network.peer.port": int64(38047),
		"network.protocol.version": "1.1",
	}}
	if p := conventions.Score(semconvClient, conventions.Client, get, conventions.Semconv).Problems(); len(p) != 0 {
		t.Errorf("problems: %v", p)
	}
	semconvClient.Attributes["url.full"] = "/semconv/attributes"
	if p := strings.Join(
		conventions.Score(semconvClient, conventions.Client, get, conventions.Semconv).Problems(),
		"\n",
	); !strings.Contains(p, "url.full (required): wrong-value") {
		t.Errorf("a relative url.full fails: %s", p)
	}
}

// A value that is there but cannot be read (an older Envoy's http.protocol "h2") is wrong,
// never missing: at the recommended level it fails the span, as any value that breaks the
// conventions does.
func TestUnreadableValueIsWrongNeverMissing(t *testing.T) {
	s := envoySpan()
	s.Attributes["http.protocol"] = "h2"
	c := conventions.Score(s, conventions.Server, get, conventions.Envoy)
	if a := byAttribute(c)["network.protocol.version"]; a.Result != conventions.WrongValue ||
		!strings.Contains(a.Note, `http.protocol "h2" cannot be read`) {
		t.Errorf("network.protocol.version %+v, want wrong-value saying why", a)
	}
	if p := strings.Join(c.Problems(), "\n"); !strings.Contains(
		p,
		`network.protocol.version (recommended): wrong-value, expected "1.1", got "h2" as http.protocol`,
	) {
		t.Errorf("problems: %s", p)
	}
	if g := strings.Join(c.Gaps(), "\n"); strings.Contains(g, "network.protocol.version") {
		t.Errorf("an unreadable value is a gap: %s", g)
	}
}

// Values whose form the conventions fix: each breaks a MUST, whatever the attribute's level.
func TestValuesOfTheWrongFormFail(t *testing.T) {
	client := spans.Span{Kind: spans.KindClient, Name: "GET", Attributes: map[string]any{
		"http.request.method": "GET", "server.address": "127.0.0.1", "server.port": int64(38047), "http.response.status_code": int64(200),
		"url.full": "http://127.0.0.1:38047/semconv/attributes", "network.protocol.version": "1.1",
	}}
	for _, tc := range []struct {
		table conventions.Table
		span  spans.Span
		key   string
		value any
		want  string
	}{
		{conventions.Client, client, "server.address", "127.0.0.1:38047", "server.address (required): wrong-value"},
		{conventions.Client, client, "url.full", "http://user:secret@127.0.0.1:38047/semconv/attributes", "url.full (required): wrong-value"},
		{conventions.Client, client, "url.template", "semconv attributes", "url.template (opt-in): wrong-value"},
		{
			conventions.Server,
			caddySpan(),
			"http.route",
			"/semconv/attributes?q=1",
			"http.route (conditionally required, if and only if it's available): wrong-value",
		},
		{conventions.Server, caddySpan(), "http.request.method", "get", "http.request.method (required): wrong-value"},
		{conventions.Server, caddySpan(), "network.protocol.version", "HTTP/1.1", "network.protocol.version (recommended): wrong-value"},
		{conventions.Server, caddySpan(), "url.scheme", "HTTP", "url.scheme (required): wrong-value"},
	} {
		s := spans.Span{Kind: tc.span.Kind, Name: tc.span.Name, Attributes: map[string]any{}}
		for k, v := range tc.span.Attributes {
			s.Attributes[k] = v
		}
		s.Attributes[tc.key] = tc.value
		if p := strings.Join(conventions.Score(s, tc.table, get, conventions.Semconv).Problems(), "\n"); !strings.Contains(p, tc.want) {
			t.Errorf("%s=%v: problems %q, want %q", tc.key, tc.value, p, tc.want)
		}
	}
	for _, ok := range []string{"/semconv/{name}", "/"} {
		s := caddySpan()
		s.Attributes["http.route"] = ok
		if p := conventions.Score(s, conventions.Server, get, conventions.Semconv).Problems(); len(p) != 0 {
			t.Errorf("http.route %q: %v", ok, p)
		}
	}
}
