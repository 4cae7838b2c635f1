package tracing

import (
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/conventions"
	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/spans"
)

func TestUndeclaredNamesWhatTheFailureDoesNotShow(t *testing.T) {
	d := config.Deviation{Seen: []string{"got with status UNSET"}}
	tree := "Expected a span of kind CLIENT, with status ERROR\nClosest span: SERVER \"h\" status=ERROR\n  expected with status ERROR,\n" +
		"   got with status UNSET\n" +
		"  - CLIENT \"router refused egress\" status=UNSET span=1"
	declared := difference.Failure{
		Message:     tree,
		Listed:      true,
		Differences: []difference.Difference{{Expected: "with status ERROR", Got: "with status UNSET"}},
	}
	if m, extra := account(d, declared); len(m) != 0 || len(extra) != 0 {
		t.Errorf("a failure as declared: missing %v, extra %v", m, extra)
	}
	other := "\x1b[1mNEVER ARRIVED\x1b[0m: no span for trace 5f1c within the wait span"
	if m, _ := account(d, difference.Failure{Message: other, Differences: []difference.Difference{{Shown: other}}}); !slices.Equal(m, d.Seen) {
		t.Errorf("a failure of another kind: missing %v, want %v", m, d.Seen)
	}
	// A piece is matched against the failure's differences, not the whole message: the span
	// tree and the request it shows cannot make a declaration hold.
	inTree := config.Deviation{Seen: []string{"got with status UNSET", `egress" status=UNSET`}}
	if m, _ := account(inTree, declared); !slices.Equal(m, inTree.Seen[1:]) {
		t.Errorf("a piece only the span tree shows: missing %v, want %v", m, inTree.Seen[1:])
	}
}

// contourEnv is Contour's declaration for CustomAttributes (profiles/contour.yaml).
var contourEnv = config.Deviation{
	Seen:   []string{"got with attribute tracegate.env absent"},
	Reason: "Contour's customTags take a literal or a request header only: no environment-variable tag",
	Source: "implementations.contour.deviations.CustomAttributes in profiles/contour.yaml",
}

// customSpans is the trace of a CustomAttributes request as Contour exports it: both spans carry
// the literal and the header, neither the environment variable; literal is the literal's value.
func customSpans(literal string) spans.Received {
	attrs := map[string]any{contract.LiteralAttribute: literal, contract.HeaderAttribute: contract.HeaderValue}
	return spans.Received{Query: "trace ce3b", TraceID: "ce3b", Spans: spans.List{
		{
			TraceID:      "ce3b",
			SpanID:       "bc35",
			ParentSpanID: "90d6",
			Name:         "ingress",
			Kind:         spans.KindServer,
			Status:       spans.StatusUnset,
			Attributes:   attrs,
		},
		{
			TraceID:      "ce3b",
			SpanID:       "ebf8",
			ParentSpanID: "bc35",
			Name:         "router echo egress",
			Kind:         spans.KindClient,
			Status:       spans.StatusUnset,
			Attributes:   attrs,
		},
	}}
}

// customFailure is the failure of CustomAttributes' span assertion on rcv, made as
// SpanAssertion makes it: Eventually with a description, which Gomega puts before the matcher's.
func customFailure(t *testing.T, rcv spans.Received) difference.Failure {
	RegisterTestingT(t)
	f := difference.Intercept(func() {
		Eventually(func() spans.Received { return rcv }).WithTimeout(30*time.Millisecond).WithPolling(10*time.Millisecond).
			Should(spans.HaveSpan(spans.Server(), spans.WithAttribute(contract.LiteralAttribute, contract.LiteralValue),
				spans.WithAttribute(contract.HeaderAttribute, contract.HeaderValue),
				spans.WithAttribute(contract.EnvironmentAttribute, contract.EnvironmentValue)),
				"ARRIVED BUT DID NOT MATCH: 2 span(s) arrived and none matched")
	})
	if f == nil {
		t.Fatal("the span assertion passed")
	}
	return *f
}

const customRow = "adds a literal, a request header and an environment variable as attributes"

func TestSpanAssertionWithExactlyTheDeclaredDifferenceIsTheDeviation(t *testing.T) {
	f := customFailure(t, customSpans(contract.LiteralValue))
	if !f.Listed || len(f.Differences) != 1 {
		t.Fatalf("the failure lists %+v, want the one difference of the closest span", f.Differences)
	}
	if wrong := judge(customRow, contourEnv, f); wrong != "" {
		t.Errorf("the declared difference alone is the deviation, but: %s", wrong)
	}
}

func TestSpanAssertionWithAnUndeclaredDifferenceFails(t *testing.T) {
	f := customFailure(t, customSpans("literal-value-lost"))
	wrong := judge(customRow, contourEnv, f)
	for _, want := range []string{
		`"adds a literal, a request header and an environment variable as attributes" failed, ` +
			`but not as implementations.contour.deviations.CustomAttributes in profiles/contour.yaml declares`,
		`the declaration says "got with attribute tracegate.env absent" (Contour's customTags take a literal or a request header only`,
		`the failure also shows 1 difference(s) the declaration does not: "expected with attribute tracegate.literal=\"literal-value\", ` +
			`got with attribute tracegate.literal=\"literal-value-lost\""`,
		"What was seen: Timed out", "got with attribute tracegate.env absent",
	} {
		if !strings.Contains(wrong, want) {
			t.Errorf("the failure lacks %q:\n%s", want, wrong)
		}
	}
	if strings.Contains(wrong, "does not show") {
		t.Errorf("every declared piece is shown, yet the failure says one is not:\n%s", wrong)
	}
}

// envoyClientMethodURL is the envoy set's declaration for the CLIENT span of a GET (ginkgo.yaml).
var envoyClientMethodURL = config.Deviation{
	Seen:   []string{"http.request.method (required): missing", "url.full (required): missing"},
	Reason: "Envoy's CLIENT span carries neither the method nor the URL",
	Source: "deviationSets.envoy.SemanticConventions in ginkgo.yaml",
}

// semconvFailure is the failure of MeetRequirements on Envoy's CLIENT span of a GET, status its
// http.status_code.
func semconvFailure(t *testing.T, status string) difference.Failure {
	RegisterTestingT(t)
	client := spans.Span{Kind: spans.KindClient, Name: "router upstream egress", Attributes: map[string]any{
		"http.protocol": "HTTP/1.1", "http.status_code": status, "peer.address": "127.0.0.1:38047", "upstream_address": "127.0.0.1:38047",
	}}
	card := conventions.Score(client, conventions.Client, semconvRow{x: semconvGet}.exchange("http://127.0.0.1:8080"), conventions.Envoy)
	f := difference.Intercept(func() { Expect(card).To(conventions.MeetRequirements()) })
	if f == nil {
		t.Fatal("the card met the requirements")
	}
	return *f
}

func TestSemanticConventionsRowWithExactlyTheDeclaredProblemsIsTheDeviation(t *testing.T) {
	f := semconvFailure(t, "200")
	if len(f.Differences) != 2 {
		t.Fatalf("the failure lists %+v, want the two missing attributes", f.Differences)
	}
	if wrong := judge("the CLIENT span of a GET with a port in its Host, answered 200", envoyClientMethodURL, f); wrong != "" {
		t.Errorf("the declared problems alone are the deviation, but: %s", wrong)
	}
}

func TestSemanticConventionsRowWithAnUndeclaredProblemFails(t *testing.T) {
	f := semconvFailure(t, "500")
	wrong := judge("the CLIENT span of a GET with a port in its Host, answered 200", envoyClientMethodURL, f)
	for _, want := range []string{
		"failed, but not as deviationSets.envoy.SemanticConventions in ginkgo.yaml declares",
		"the failure also shows 1 difference(s) the declaration does not",
		`"http.response.status_code (conditionally required, if and only if one was received or sent): wrong-value, expected 200, ` +
			`got \"500\" as http.status_code"`,
		"What was seen: Expected the CLIENT span",
	} {
		if !strings.Contains(wrong, want) {
			t.Errorf("the failure lacks %q:\n%s", want, wrong)
		}
	}
}

// A failure whose matcher lists no differences (a status code, say) is one difference: a piece
// it shows accounts for it, as before.
func TestAnUnlistedFailureIsOneDifference(t *testing.T) {
	RegisterTestingT(t)
	f := difference.Intercept(func() { Expect(502).To(Equal(200), "status") })
	d := config.Deviation{Seen: []string{"<int>: 502"}, Reason: "r", Source: "s"}
	if f == nil || f.Listed || judge("row", d, *f) != "" {
		t.Errorf("an unlisted failure showing the piece is the deviation: %+v, %q", f, judge("row", d, *f))
	}
	d.Seen = []string{"<int>: 504"}
	if wrong := judge("row", d, *f); !strings.Contains(wrong, `the failure does not show "<int>: 504"`) ||
		strings.Contains(wrong, "also shows") {
		t.Errorf("an unlisted failure without the piece: %s", wrong)
	}
}
