package report_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/report"
)

// TestStandardsAndClaims: the report lists each standard once with the features that judge by
// it, and splits the catalogue by the profile's claim; a run whose config did not load claims
// nothing either way.
func TestStandardsAndClaims(t *testing.T) {
	w3c := report.Standard{Name: "W3C Trace Context", Version: "Level 2", URL: "https://w3c.example/tc"}
	semconv := report.Standard{Name: "semconv", Version: "1.43.0", URL: "https://semconv.example/1.43.0"}
	catalog := []report.Feature{
		{Name: "ErrorStatus", Label: "Feature:ErrorStatus", Standards: []report.Standard{semconv}},
		{Name: "SpanName", Label: "Feature:SpanName"},
		{Name: "TraceContext", Label: "Feature:TraceContext", Standards: []report.Standard{w3c}},
		{Name: "TraceState", Label: "Feature:TraceState", Standards: []report.Standard{w3c}},
	}
	run := caddy
	run.Claimed = []string{"TraceState", "SpanName"}
	c := report.Build(types.Report{}, catalog, run)
	semconv.Features, w3c.Features = []string{"ErrorStatus"}, []string{"TraceContext", "TraceState"}
	if want := []report.Standard{semconv, w3c}; !reflect.DeepEqual(c.Standards, want) {
		t.Errorf("standards:\ngot  %+v\nwant %+v", c.Standards, want)
	}
	want := report.ProfileFeatures{Claimed: []string{"SpanName", "TraceState"}, NotClaimed: []string{"ErrorStatus", "TraceContext"}}
	if !reflect.DeepEqual(c.ProfileFeatures, want) {
		t.Errorf("profileFeatures: got %+v, want %+v", c.ProfileFeatures, want)
	}
	if catalog[2].Standards[0].Features != nil {
		t.Errorf("Build changed the catalogue's standards: %+v", catalog[2].Standards)
	}
	run.ConfigError = "ginkgo.yaml:3: bad"
	if p := report.Build(types.Report{}, catalog, run).ProfileFeatures; len(p.Claimed)+len(p.NotClaimed) != 0 {
		t.Errorf("a run without config claims %+v, want neither list", p)
	}
}

// TestMarkdownNamesStandardsAndClaims: the Markdown report says what the profile claims and
// which standards, at which versions, judged which features.
func TestMarkdownNamesStandardsAndClaims(t *testing.T) {
	run := caddy
	run.Claimed = []string{"TraceContext"}
	w3c := report.Standard{Name: "W3C Trace Context", Version: "Level 2", URL: "https://w3c.example/tc"}
	md := report.Markdown(report.Build(
		types.Report{},
		[]report.Feature{{Name: "SpanName"}, {Name: "TraceContext", Standards: []report.Standard{w3c}}},
		run,
	))
	for _, want := range []string{
		"The profile claims TraceContext; it does not claim SpanName.",
		"Judged by W3C Trace Context Level 2 (<https://w3c.example/tc>): TraceContext.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown report lacks %q:\n%s", want, md)
		}
	}
}
