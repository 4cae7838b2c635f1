package tracing

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var updateDocs = flag.Bool("update", false, "rewrite the generated parts of docs/w3c.md")

// w3cHarness is w3c_harness.yaml: the W3C harness's tests, by class, and the reasons of those
// no row covers.
type w3cHarness struct {
	Source struct {
		Repository string `yaml:"repository"`
		Path       string `yaml:"path"`
		Commit     string `yaml:"commit"`
	} `yaml:"source"`
	Tests   map[string][]string `yaml:"tests"`
	Excused map[string]string   `yaml:"excused"`
}

// loadHarness reads w3c_harness.yaml strictly.
func loadHarness(t *testing.T) w3cHarness {
	t.Helper()
	f, err := os.Open("w3c_harness.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var h w3cHarness
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(&h); err != nil {
		t.Fatalf("w3c_harness.yaml: %v", err)
	}
	return h
}

// names are the harness's tests as Class.test, in the file's class order (sorted) and test order.
func (h w3cHarness) names() []string {
	var out []string
	for _, class := range []string{"TraceContextTest", "AdvancedTest", "TraceContext2Test"} {
		for _, test := range h.Tests[class] {
			out = append(out, class+"."+test)
		}
	}
	return out
}

// rowsCovering maps each harness test (without its class) to the TraceContext rows naming it.
func rowsCovering() map[string][]contextVector {
	out := map[string][]contextVector{}
	for _, v := range contextVectors {
		for _, test := range v.w3c {
			out[test] = append(out[test], v)
		}
	}
	return out
}

// Every harness test is covered by a row or excused with a reason, not both; every row names
// only harness tests there are.
func TestEveryW3CHarnessTestHasARowOrAReason(t *testing.T) {
	h := loadHarness(t)
	if len(h.names()) != 41 || len(h.Tests) != 3 {
		t.Errorf("w3c_harness.yaml lists %d tests in %d classes; test/test.py at %s has 41 in 3", len(h.names()), len(h.Tests), h.Source.Commit)
	}
	covered := rowsCovering()
	known := map[string]bool{}
	for _, name := range h.names() {
		test := name[strings.Index(name, ".")+1:]
		known[test] = true
		rows, reason := covered[test], h.Excused[test]
		switch {
		case len(rows) == 0 && reason == "":
			t.Errorf("harness test %s has no TraceContext row (contextVector.w3c) and no reason in w3c_harness.yaml's excused", name)
		case len(rows) > 0 && reason != "":
			t.Errorf("harness test %s is covered by %d rows and excused too: drop its excuse", name, len(rows))
		}
	}
	for test, rows := range covered {
		if !known[test] {
			t.Errorf("row %q names %q, which w3c_harness.yaml does not list", rows[0].name, test)
		}
	}
	for test := range h.Excused {
		if !known[test] {
			t.Errorf("w3c_harness.yaml excuses %q, which it does not list", test)
		}
	}
}

// harnessTable renders the map from harness test to rows or reason, as Markdown.
func harnessTable(h w3cHarness) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Generated from `features/tracing/w3c_harness.yaml` (%s `%s` at `%s`) "+
		"and the rows: `go test ./features/tracing -run W3C -update`.\n\n",
		h.Source.Repository, h.Source.Path, h.Source.Commit)
	b.WriteString("Each row's level is that of the rule it is named after: MUST, SHOULD or MAY as the recommendation says, " +
		"or \"the W3C harness expects\" where the harness is stricter than the recommendation.\n\n")
	b.WriteString("| harness test | TraceContext row(s) and level, or why it does not apply to a gateway |\n|---|---|\n")
	covered := rowsCovering()
	for _, name := range h.names() {
		test := name[strings.Index(name, ".")+1:]
		cell := "not applicable: " + h.Excused[test]
		if rows := covered[test]; len(rows) > 0 {
			quoted := make([]string, len(rows))
			for i, r := range rows {
				quoted[i] = "“" + r.name + "” (" + string(r.level.orMust()) + ")"
			}
			cell = strings.Join(quoted, "<br>")
		}
		fmt.Fprintf(&b, "| `%s` | %s |\n", name, strings.ReplaceAll(cell, "|", `\|`))
	}
	b.WriteString("\nEvery row, with its level and the harness tests it covers (none: a rule the harness does not check):\n\n" +
		"| TraceContext row | level | harness tests |\n|---|---|---|\n")
	for _, v := range contextVectors {
		tests := make([]string, len(v.w3c))
		for i, test := range v.w3c {
			tests[i] = "`" + test + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", strings.ReplaceAll(v.name, "|", `\|`), v.level.orMust(), strings.Join(tests, ", "))
	}
	return b.String()
}

const (
	harnessBegin = "<!-- w3c-harness:begin -->\n"
	harnessEnd   = "<!-- w3c-harness:end -->"
)

// docs/w3c.md shows the map as the harness list and the rows make it (-update rewrites it).
func TestDocsShowTheW3CHarnessMap(t *testing.T) {
	path := filepath.Join(root, "docs", "w3c.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	begin, end := strings.Index(text, harnessBegin), strings.Index(text, harnessEnd)
	if begin < 0 || end < begin {
		t.Fatalf("%s has no %q ... %q markers", path, strings.TrimSpace(harnessBegin), harnessEnd)
	}
	want := text[:begin+len(harnessBegin)] + harnessTable(loadHarness(t)) + text[end:]
	if want == text {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s's harness table differs from what w3c_harness.yaml and the rows render: go test ./features/tracing -run W3C -update", path)
}

// No two rows share a name (a Ginkgo entry and a profile's deviation name a row by it).
func TestTraceContextRowNamesAreUnique(t *testing.T) {
	var names []string
	for _, v := range contextVectors {
		if slices.Contains(names, v.name) {
			t.Errorf("two TraceContext rows are named %q", v.name)
		}
		names = append(names, v.name)
	}
}

// The tracestate rows on length send what their names say.
func TestTraceStateLengthRowsSendTheirLengths(t *testing.T) {
	if n := len(strings.Join(state512, ",")); n != 512 {
		t.Errorf("state512 is %d characters", n)
	}
	long := slices.IndexFunc(stateOver512, func(m string) bool { return len(m) > 128 })
	if n := len(strings.Join(stateOver512, ",")); n <= 512 || long < 0 || len(stateOver512) > 32 {
		t.Errorf("stateOver512 is %d characters in %d members, the first over 128 at %d", n, len(stateOver512), long)
	}
}

// Every row states a level there is, the level of one of its own rules.
func TestEveryTraceContextRowStatesTheLevelOfOneOfItsRules(t *testing.T) {
	for _, v := range contextVectors {
		if !slices.Contains(levels, v.level.orMust()) {
			t.Errorf("row %q states level %q, not one of %q", v.name, v.level, levels)
			continue
		}
		rules := v.rules(ctxCaller, v.headers(ctxCaller))
		if !slices.ContainsFunc(rules, func(r contextRule) bool { return r.level.orMust() == v.level.orMust() }) {
			t.Errorf("row %q states level %s, which none of its rules has", v.name, v.level.orMust())
		}
	}
}
