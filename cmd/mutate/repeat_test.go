package main

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/cmd/internal/suiterun"
	"github.com/tracegate/tracegate/framework/difference"
)

// A failure shows the mutation's difference when one difference holds both pieces; a failure
// whose matcher listed none shows it when its message holds both.
func TestShowsIn(t *testing.T) {
	s := Shows{Expected: "named  THISISAROUTEDESCRIPTOR", Got: "named handler"}
	for _, tc := range []struct {
		diffs []difference.Difference
		want  bool
	}{
		{[]difference.Difference{{Expected: "a span named THISISAROUTEDESCRIPTOR", Got: "named handler"}}, true},
		{
			[]difference.Difference{{Expected: "a span named THISISAROUTEDESCRIPTOR", Got: "no span"}, {Expected: "x", Got: "named handler"}},
			false,
		},
		{[]difference.Difference{{Shown: "Expected a span named THISISAROUTEDESCRIPTOR\nClosest span: named handler"}}, true},
		{[]difference.Difference{{Shown: "Expected status 200, got 502"}}, false},
		{nil, false},
	} {
		if got := s.In(tc.diffs); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.diffs, got, tc.want)
		}
	}
}

// A catalogue entry without the difference it must show is refused, naming the file, the entry
// and the field.
func TestCatalogueRefusesAMutationWithoutItsDifference(t *testing.T) {
	path := filepath.Join(t.TempDir(), "caddy.yaml")
	body := "implementation: caddy\nmutations:\n  - name: tracing-off\n    description: x\n    env: {A: b}\n    owner: Some spec\n" +
		"    difference: {expected: \"a span\"}\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadCatalogue(path)
	if err == nil || !strings.Contains(err.Error(), path+": mutations[0] (tracing-off): difference.expected and difference.got are required") {
		t.Fatalf("error %v, want one naming the file, the mutation and difference.got", err)
	}
}

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

// failedWith is a failed spec with the differences the harness records for it.
func failedWith(text string, diffs ...difference.Difference) types.SpecReport {
	s := spec(text, types.SpecStateFailed)
	s.ReportEntries = types.ReportEntries{{Name: difference.EntryName, Value: types.WrapEntryValue(diffs)}}
	return s
}

func TestTallyCountsEscapesOnlyWhenTheOwnerPassed(t *testing.T) {
	m := Mutation{Name: "zero-sampling-ignored", Owner: "owner", Shows: Shows{Expected: "no span", Got: "1 such span"}}
	sampled := difference.Difference{Expected: "no span with trace id 42", Got: "1 such span(s)"}
	tl := tally{name: "envoy/" + m.Name, mutation: m}
	for _, specs := range []types.SpecReports{
		{failedWith("owner", sampled), spec("other", types.SpecStateFailed)},                // caught, one other failure
		{failedWith("owner", difference.Difference{Shown: "Expected status 200, got 502"})}, // not judged: failed otherwise
		{spec("owner", types.SpecStateFailed)},                                              // not judged: no differences recorded
		{spec("owner", types.SpecStatePassed)},                                              // escaped
		{spec("owner", types.SpecStateSkipped)},                                             // not judged
		{spec("other", types.SpecStatePassed)},                                              // not judged: the owner never ran
	} {
		tl.add(judge(m, resultOf(specs, nil)))
	}
	tl.add(judge(m, resultOf(nil, errors.New("bad config"))))
	if tl.runs != 7 || tl.caught != 1 || tl.escaped != 1 || tl.unjudged != 5 || tl.otherFailures != 1 || tl.others["other"] != 1 {
		t.Fatalf("tally = %+v, want 7 runs: 1 caught, 1 escaped, 5 not judged, 1 other failure (\"other\")", tl)
	}
	if err := reportTallies([]tally{tl}, "envoy-faults", 5); err == nil {
		t.Fatal("a tally with an escape reported no error")
	}
	if err := reportTallies([]tally{{name: "envoy/" + m.Name, mutation: m, runs: 2, caught: 2}}, "envoy-faults", 2); err != nil {
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
