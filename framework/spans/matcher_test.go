package spans_test

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/spans"
)

func received() spans.Received {
	return spans.Received{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", Dropped: 2, Spans: spans.List{
		{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "00f067aa0ba902b7", ParentSpanID: "1111111111111111",
			Name: "handler", Kind: spans.KindServer, Status: spans.StatusUnset,
			Attributes: map[string]any{"http.request.method": "GET", "http.response.status_code": int64(200), "url.path": "/a"}},
		{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "2222222222222222", ParentSpanID: "00f067aa0ba902b7",
			Name: "upstream", Kind: spans.KindClient, Status: spans.StatusUnset},
	}}
}

func TestHaveSpanMatches(t *testing.T) {
	cases := []struct {
		name     string
		criteria []spans.Criterion
		want     bool
	}{
		{"name and kind", []spans.Criterion{spans.Server(), spans.Named("handler")}, true},
		{"wrong name", []spans.Criterion{spans.Named("THISISAROUTEDESCRIPTOR")}, false},
		{"int attribute given as int", []spans.Criterion{spans.WithAttribute("http.response.status_code", 200)}, true},
		{"int attribute with a string value", []spans.Criterion{spans.WithAttribute("http.response.status_code", "200")}, false},
		{"regex", []spans.Criterion{spans.WithAttributeMatching("url.path", `^/a$`)}, true},
		{"present", []spans.Criterion{spans.WithAttributePresent("url.path")}, true},
		{"absent", []spans.Criterion{spans.Server(), spans.WithoutAttribute("url.path")}, false},
		{"absent on the client span", []spans.Criterion{spans.Client(), spans.WithoutAttribute("url.path")}, true},
		{"parent", []spans.Criterion{spans.Client(), spans.ChildOf("00f067aa0ba902b7")}, true},
		{"root", []spans.Criterion{spans.Root()}, false},
		{"trace", []spans.Criterion{spans.InTrace("ffffffffffffffffffffffffffffffff")}, false},
		{"status", []spans.Criterion{spans.WithStatus(spans.StatusError)}, false},
		{"not", []spans.Criterion{spans.Server(), spans.Not(spans.WithStatus(spans.StatusError))}, true},
		{"all criteria on one span", []spans.Criterion{spans.Client(), spans.Named("handler")}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, err := spans.HaveSpan(c.criteria...).Match(received())
			if err != nil || ok != c.want {
				t.Fatalf("HaveSpan = %v, %v; want %v", ok, err, c.want)
			}
			ok, _ = spans.HaveNoSpan(c.criteria...).Match(received())
			if ok == c.want {
				t.Fatalf("HaveNoSpan = %v; want %v", ok, !c.want)
			}
		})
	}
}

func TestFailureMessageShowsExpectationClosestSpanAndTree(t *testing.T) {
	msg := spans.HaveSpan(spans.Server(), spans.Named("THISISAROUTEDESCRIPTOR"), spans.WithAttribute("http.request.method", "POST")).
		FailureMessage(received())
	for _, want := range []string{
		`Expected a span of kind SERVER, named "THISISAROUTEDESCRIPTOR", with attribute http.request.method="POST"`,
		"Received 2 span(s) for trace 4bf92f3577b34da6a3ce929d0e0e4736; the receiver dropped 2 span(s)",
		`Closest span: SERVER "handler"`,
		`expected named "THISISAROUTEDESCRIPTOR", got named "handler"`,
		`expected with attribute http.request.method="POST", got with attribute http.request.method="GET"`,
		"trace 4bf92f3577b34da6a3ce929d0e0e4736\n  - SERVER \"handler\"",
		"    - CLIENT \"upstream\"", // the child is drawn under its parent
		"[1/3 criteria met]",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
}

func TestFailureMessageWhenNothingArrived(t *testing.T) {
	msg := spans.HaveSpan(spans.Server()).FailureMessage(spans.Received{TraceID: "abc"})
	if !strings.Contains(msg, "Received 0 span(s) for trace abc") || !strings.Contains(msg, "No span arrived") {
		t.Fatalf("unexpected message:\n%s", msg)
	}
}

func TestNegatedMessageListsTheUnwantedSpans(t *testing.T) {
	msg := spans.HaveNoSpan(spans.Server()).FailureMessage(received())
	if msg != spans.HaveSpan(spans.Server()).NegatedFailureMessage(received()) {
		t.Errorf("HaveNoSpan and a negated HaveSpan should explain the same failure alike")
	}
	if !strings.Contains(msg, "Expected no span of kind SERVER, but got:\n  SERVER \"handler\"") {
		t.Fatalf("unexpected message:\n%s", msg)
	}
}

func TestTreeDrawsOrphansAsRoots(t *testing.T) {
	tree := spans.Tree(spans.List{{TraceID: "t", SpanID: "b", ParentSpanID: "missing", Name: "orphan", Kind: spans.KindServer}})
	if !strings.Contains(tree, `- SERVER "orphan" status= span=b parent=missing`) {
		t.Fatalf("orphan not drawn as a root:\n%s", tree)
	}
}

func TestMatchRejectsOtherTypes(t *testing.T) {
	if _, err := spans.HaveSpan().Match("not spans"); err == nil {
		t.Fatal("expected an error for a string")
	}
}

func TestHaveOneSpanOfFailsOnASecondSpanOfTheRole(t *testing.T) {
	right := spans.Span{TraceID: "t", SpanID: "a", ParentSpanID: "p", Kind: spans.KindServer, Name: "right"}
	wrong := spans.Span{TraceID: "t", SpanID: "b", ParentSpanID: "p", Kind: spans.KindServer, Name: "wrong"}
	m := spans.HaveOneSpanOf([]spans.Criterion{spans.Server(), spans.ChildOf("p")}, spans.Named("right"))
	if ok, err := m.Match(spans.List{right}); !ok || err != nil {
		t.Fatalf("one right span: %v %v", ok, err)
	}
	if ok, _ := m.Match(spans.List{wrong}); ok {
		t.Fatal("one wrong span passed")
	}
	if ok, _ := m.Match(spans.List{right, wrong}); ok {
		t.Fatal("a wrong span beside the right one passed")
	}
	msg := m.FailureMessage(spans.List{right, wrong})
	for _, want := range []string{"Expected one span of kind SERVER, child of span p, but got 2", `"right"`, `"wrong"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
}

func TestOutsideDropsTheSubtreesOfEarlierAttempts(t *testing.T) {
	list := spans.List{
		{SpanID: "s1", ParentSpanID: "p1", Kind: spans.KindServer}, {SpanID: "c1", ParentSpanID: "s1", Kind: spans.KindClient},
		{SpanID: "s2", ParentSpanID: "p2", Kind: spans.KindServer}, {SpanID: "c2", ParentSpanID: "s2", Kind: spans.KindClient},
	}
	got := spans.Outside(list, "p1")
	if len(got) != 2 || got[0].SpanID != "s2" || got[1].SpanID != "c2" {
		t.Fatalf("Outside(p1) = %v, want s2 and c2", got)
	}
	if len(spans.Outside(list)) != 4 {
		t.Fatal("Outside() without parents dropped spans")
	}
}
