package main

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/cmd/internal/suiterun"
)

func TestSelectKeepsCatalogueOrderAndRefusesUnknownNames(t *testing.T) {
	c := &Catalogue{Implementation: "caddy", Mutations: []Mutation{{Name: "a"}, {Name: "b"}, {Name: "c"}}}
	got, err := c.Select([]string{"c", "a"})
	if err != nil || len(got) != 2 || got[0].Name != "a" || got[1].Name != "c" {
		t.Fatalf("Select(c, a) = %v, %v; want a, c", got, err)
	}
	if all, _ := c.Select(nil); len(all) != 3 {
		t.Fatalf("Select() = %v, want every mutation", all)
	}
	_, err = c.Select([]string{"zero-sampling"})
	if err == nil || !strings.Contains(err.Error(), `"zero-sampling"`) || !strings.Contains(err.Error(), "known: a, b, c") {
		t.Fatalf("Select(unknown) error = %v, want one naming it and the known mutations", err)
	}
}

func spec(text string, state types.SpecState) types.SpecReport {
	return types.SpecReport{LeafNodeText: text, State: state}
}

func TestTallyCountsEscapesOnlyWhenTheOwnerPassed(t *testing.T) {
	m := Mutation{Name: "zero-sampling-ignored", Owner: "owner"}
	var tl tally
	for _, specs := range []types.SpecReports{
		{spec("owner", types.SpecStateFailed), spec("other", types.SpecStateFailed)}, // caught, one other failure
		{spec("owner", types.SpecStatePassed)},                                       // escaped
		{spec("owner", types.SpecStateSkipped)},                                      // not judged
		{spec("other", types.SpecStatePassed)},                                       // not judged: the owner never ran
	} {
		tl.add(judge(m, resultOf(specs, nil)))
	}
	tl.add(judge(m, resultOf(nil, errors.New("bad config"))))
	if tl.runs != 5 || tl.caught != 1 || tl.escaped != 1 || tl.unjudged != 3 || tl.otherFailures != 1 || tl.others["other"] != 1 {
		t.Fatalf("tally = %+v, want 5 runs: 1 caught, 1 escaped, 3 not judged, 1 other failure (\"other\")", tl)
	}
	if err := reportTallies([]tally{tl}, "envoy-faults", 5); err == nil {
		t.Fatal("a tally with an escape reported no error")
	}
	if err := reportTallies([]tally{{mutation: m, runs: 2, caught: 2}}, "envoy-faults", 2); err != nil {
		t.Fatalf("every run caught, yet: %v", err)
	}
}

func resultOf(specs types.SpecReports, err error) suiterun.Result {
	return suiterun.Result{Specs: specs, Err: err}
}

func TestFocusOnMatchesTheOwnerSpecOnly(t *testing.T) {
	re := regexp.MustCompile(focusOn("Sampling exports no span for a new trace at 0% sampling (x)"))
	// Ginkgo matches --focus against the suite's description, a space and the spec's full text.
	for text, want := range map[string]bool{
		"Tracing Suite Sampling exports no span for a new trace at 0% sampling (x)":       true,
		"Tracing Suite Sampling exports no span for a new trace at 0% sampling (x) again": false,
		"Tracing Suite Other Sampling exports no span for a new trace at 0% sampling":     false,
	} {
		if re.MatchString(text) != want {
			t.Errorf("--focus %s on %q: %v, want %v", re, text, !want, want)
		}
	}
}
