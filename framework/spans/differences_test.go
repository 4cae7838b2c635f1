package spans_test

import (
	"slices"
	"testing"

	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/spans"
)

// failed is the failure of asserting matcher on rcv, with the differences it noted.
func failed(t *testing.T, rcv spans.Received, matcher types.GomegaMatcher) []string {
	t.Helper()
	gomega.RegisterTestingT(t)
	f := difference.Intercept(func() { gomega.Expect(rcv).To(matcher) })
	if f == nil || !f.Listed {
		t.Fatalf("the assertion passed or listed no differences: %+v", f)
	}
	var out []string
	for _, d := range f.Differences {
		out = append(out, d.String())
	}
	return out
}

func TestHaveSpanListsEachDifferenceOfTheClosestSpan(t *testing.T) {
	got := failed(
		t,
		received(),
		spans.HaveSpan(spans.Server(), spans.Named("THISISAROUTEDESCRIPTOR"), spans.WithAttribute("http.request.method", "POST")),
	)
	want := []string{`expected named "THISISAROUTEDESCRIPTOR", got named "handler"`,
		`expected with attribute http.request.method="POST", got with attribute http.request.method="GET"`}
	if !slices.Equal(got, want) {
		t.Errorf("differences %q, want %q", got, want)
	}
	if got := failed(
		t,
		spans.Received{TraceID: "abc"},
		spans.HaveSpan(spans.Server()),
	); !slices.Equal(got, []string{"expected a span of kind SERVER, got no span"}) {
		t.Errorf("nothing arrived: %q", got)
	}
	if got := failed(t, received(), spans.HaveNoSpan(spans.Server())); !slices.Equal(got, []string{
		"expected no span of kind SERVER, got 1 such span(s)",
	}) {
		t.Errorf("an unwanted span: %q", got)
	}
}

// A SERVER span with status ERROR arrived before the CLIENT span left UNSET: each misses one
// criterion of "a CLIENT span with status ERROR". The differences are the CLIENT span's, whatever
// the order, never "of kind SERVER".
func TestHaveSpanOfListsTheDifferencesOfTheSpanIdentified(t *testing.T) {
	rcv := received()
	rcv.Spans[0].Status = spans.StatusError
	for _, order := range []spans.List{rcv.Spans, {rcv.Spans[1], rcv.Spans[0]}} {
		rcv.Spans = order
		got := failed(t, rcv, spans.HaveSpanOf([]spans.Criterion{spans.Client()}, spans.WithStatus(spans.StatusError)))
		if want := []string{"expected with status ERROR, got with status UNSET"}; !slices.Equal(got, want) {
			t.Errorf("differences %q, want %q", got, want)
		}
	}
	client := received().Spans[1]
	client.Status = spans.StatusError
	rcv.Spans = append(rcv.Spans, client)
	if ok, err := spans.HaveSpanOf([]spans.Criterion{spans.Client()}, spans.WithStatus(spans.StatusError)).Match(rcv); !ok || err != nil {
		t.Errorf("a CLIENT span with status ERROR does not match: %v", err)
	}
}
