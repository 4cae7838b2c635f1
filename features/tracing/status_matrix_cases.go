package tracing

import (
	"net/http"
	"strconv"

	"github.com/onsi/gomega/types"
	older "go.opentelemetry.io/otel/semconv/v1.20.0"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// statusCase is one class of answer: the request that provokes it and what the gateway must
// answer, to a route of the fixture contract (contract.StatusFromUpstream and the three with routes of
// their own).
type statusCase struct {
	id      string // the start of its rows' IDs
	name    string
	request []request.Option
	answer  types.GomegaMatcher
	// failed: the answer is a 5xx, so the SERVER span is an error.
	failed bool
	// upstream: the gateway called the upstream, so a CLIENT span exists; upstreamFailed: that
	// call failed (a 4xx or 5xx, or no answer), so the CLIENT span is an error.
	upstream, upstreamFailed bool
	// upstreamStatus is the upstream's answer, 0 for none: a failed CLIENT span's error.type.
	upstreamStatus int
}

// fromUpstream is a case where the upstream answers with status.
func fromUpstream(status int) statusCase {
	return statusCase{
		id:   "status-" + strconv.Itoa(status),
		name: "a " + strconv.Itoa(status) + " from the upstream",
		request: []request.Option{
			request.Host(contract.StatusFromUpstream.Host),
			request.Path(contract.StatusFromUpstream.PathWith(strconv.Itoa(status))),
			request.Header(echo.StatusHeader, strconv.Itoa(status)),
		},
		answer: request.HaveStatus(status), failed: status >= 500,
		upstream: true, upstreamFailed: status >= 400, upstreamStatus: status,
	}
}

// statusCases are the answers the StatusMatrix feature provokes: each of the upstream's
// (contract.UpstreamStatuses), then the gateway's own.
var statusCases = append(fromUpstreams(contract.UpstreamStatuses), []statusCase{
	{
		id:      "status-no-route",
		name:    "the gateway's own 404 for a host it has no route for",
		request: []request.Option{route(contract.StatusNoRoute)},
		answer:  request.HaveStatus(http.StatusNotFound),
	},
	{
		id:      "status-refused",
		name:    "an upstream that refuses the connection",
		request: []request.Option{route(contract.StatusRefused), request.StatusUnderTest()},
		answer:  request.HaveStatusClass(5), failed: true, upstream: true, upstreamFailed: true,
	},
	{
		id:      "status-timeout",
		name:    "an upstream that does not answer before the gateway's timeout",
		request: []request.Option{route(contract.StatusTimeout), request.Header(echo.HoldHeader, "1"), request.StatusUnderTest()},
		answer:  request.HaveStatus(http.StatusGatewayTimeout), failed: true, upstream: true, upstreamFailed: true,
	},
}...)

func fromUpstreams(statuses []int) []statusCase {
	var cases []statusCase
	for _, status := range statuses {
		cases = append(cases, fromUpstream(status))
	}
	return cases
}

// statusRow is one check of one case, named so that a profile can declare it a deviation.
type statusRow struct {
	id     string // the case's, then the check's: status-500-server-error-type
	name   string
	c      statusCase
	client bool   // about the CLIENT span
	check  string // what is checked, for the By step
	want   func(rsp *request.Response, naming string) []spans.Criterion
}

// kind is the span the row checks.
func (r statusRow) kind() spans.Criterion {
	if r.client {
		return spans.Client()
	}
	return spans.Server()
}

// statusRows expands each case into its checks: the SERVER span's status, the CLIENT span's
// status where the gateway called the upstream, and error.type on each span that failed.
func statusRows() []statusRow {
	var rows []statusRow
	for _, c := range statusCases {
		rows = append(rows, statusRow{
			id:    c.id + "-server-status",
			name:  c.name + ": " + statusWords("SERVER", c.failed),
			c:     c,
			check: statusWords("SERVER", c.failed),
			want:  fixed(errorStatus(c.failed)),
		})
		rows = append(rows, statusRow{
			id:    c.id + "-server-status-code",
			name:  c.name + ": the SERVER span records the status the caller got",
			c:     c,
			check: "its status code attribute is the answer's",
			want: func(rsp *request.Response, naming string) []spans.Criterion {
				return []spans.Criterion{statusCodeAttribute(naming, rsp.Status)}
			},
		})
		if c.upstream {
			rows = append(rows, statusRow{
				id:     c.id + "-client-status",
				name:   c.name + ": " + statusWords("CLIENT", c.upstreamFailed),
				c:      c,
				client: true,
				check:  statusWords("CLIENT", c.upstreamFailed),
				want:   fixed(errorStatus(c.upstreamFailed)),
			})
		}
		if c.failed {
			rows = append(rows, statusRow{
				id:    c.id + "-server-error-type",
				name:  c.name + ": the SERVER span's error.type is the status code",
				c:     c,
				check: "error.type is the status code",
				want: func(rsp *request.Response, _ string) []spans.Criterion {
					return []spans.Criterion{spans.WithAttribute(errorTypeKey, strconv.Itoa(rsp.Status))}
				},
			})
		}
		if c.upstreamFailed {
			rows = append(rows, clientErrorTypeRow(c))
		}
	}
	return rows
}

// errorTypeKey is the OpenTelemetry attribute that says why an operation failed.
var errorTypeKey = string(semconv.ErrorTypeKey)

func clientErrorTypeRow(c statusCase) statusRow {
	if c.upstreamStatus != 0 {
		return statusRow{
			id:     c.id + "-client-error-type",
			name:   c.name + ": the CLIENT span's error.type is the status code",
			c:      c,
			client: true,
			check:  "error.type is the upstream's status code",
			want:   fixed(spans.WithAttribute(errorTypeKey, strconv.Itoa(c.upstreamStatus))),
		}
	}
	return statusRow{
		id:     c.id + "-client-error-type",
		name:   c.name + ": the CLIENT span has an error.type",
		c:      c,
		client: true,
		check:  "error.type is set",
		want:   fixed(spans.WithAttributePresent(errorTypeKey)),
	}
}

func statusWords(kind string, failed bool) string {
	if failed {
		return "the " + kind + " span's status is ERROR"
	}
	return "the " + kind + " span's status is UNSET"
}

// errorStatus is the status a span must have: ERROR where the answer failed it, UNSET
// everywhere else, never OK. The OpenTelemetry HTTP conventions (http-spans.md, "Status") say
// the status MUST be left unset for a 1xx, 2xx or 3xx answer, and for a 4xx on a SERVER span;
// and the tracing API says instrumentation SHOULD NOT set OK, which is for an application or
// operator that decided the operation succeeded. A gateway decides nothing about its caller's
// success, so an OK there is a status the conventions do not give, not a harmless variant of
// "not ERROR".
func errorStatus(failed bool) spans.Criterion {
	if failed {
		return spans.WithStatus(spans.StatusError)
	}
	return spans.WithStatus(spans.StatusUnset)
}

func fixed(criteria ...spans.Criterion) func(*request.Response, string) []spans.Criterion {
	return func(*request.Response, string) []spans.Criterion { return criteria }
}

// statusCodeAttribute is the response status code attribute under an attribute naming
// (implementations.<name>.attributeNaming): an int, or Envoy's string.
func statusCodeAttribute(naming string, status int) spans.Criterion {
	if naming == config.AttributeNamingEnvoy {
		return spans.WithAttribute(string(older.HTTPStatusCodeKey), strconv.Itoa(status))
	}
	return spans.WithAttribute(string(semconv.HTTPResponseStatusCodeKey), status)
}
