package config_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

// deviationsFile is a config whose implementation gw names the deviation sets sets and
// declares deviations of its own, with a set "tracer" defined as given.
func deviationsFile(t *testing.T, set, sets, own string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ginkgo.yaml")
	yaml := "environments:\n  local: {type: local, implementation: gw}\n" +
		"deviationSets:\n  tracer:\n" + set +
		"implementations:\n  gw:\n    local: {command: [gw]}\n    deviationSets: " + sets + "\n    deviations:\n" + own
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDeviationSetsAndOwnDeviationsAreMerged(t *testing.T) {
	path := deviationsFile(t,
		"    Propagation:\n      \"a shared row\": {seen: [\"got a new trace\"], reason: \"the tracer starts a new trace\"}\n",
		"[tracer]",
		"      SpanName:\n        \"a row\": {seen: [\"got named x\", \"status UNSET\"], reason: \"it does something else (seen here)\"}\n")
	c, err := config.LoadFile(path, nil, config.TestFeatures)
	if err != nil {
		t.Fatal(err)
	}
	own, ok := c.Implementation.Deviation("SpanName", "a row")
	if !ok || own.Reason != "it does something else (seen here)" || !slices.Equal(own.Seen, []string{"got named x", "status UNSET"}) ||
		own.Source != "implementations.gw.deviations.SpanName in "+path {
		t.Errorf("own deviation = %+v, %t", own, ok)
	}
	shared, ok := c.Implementation.Deviation("Propagation", "a shared row")
	if !ok || shared.Reason != "the tracer starts a new trace" || shared.Source != "deviationSets.tracer.Propagation in "+path {
		t.Errorf("deviation from the set = %+v, %t", shared, ok)
	}
	if _, ok := c.Implementation.Deviation("SpanName", "another row"); ok {
		t.Error("an undeclared row is a deviation")
	}
}

func TestDeviationErrors(t *testing.T) {
	row := "      SpanName:\n        \"a row\": {seen: [\"x\"], reason: \"why\"}\n"
	for _, tc := range []struct {
		name, set, sets, own string
		want                 []string
	}{{
		name: "a reason alone, as before, says nothing the suite can check",
		set:  "    {}\n", sets: "[]",
		own:  "      SpanName:\n        \"a row\": \"it does something else\"\n",
		want: []string{`implementations.gw.deviations.SpanName."a row": must be a mapping with keys seen, reason, not "it does something else"`},
	}, {
		name: "missing seen and reason",
		set:  "    {}\n", sets: "[]",
		own: "      SpanName:\n        \"a row\": {seen: []}\n        \"b row\": {seen: [\" \"], reason: why}\n",
		want: []string{
			`implementations.gw.deviations.SpanName."a row".reason: required`,
			`implementations.gw.deviations.SpanName."a row".seen: required: a list of pieces of the row's failure's differences`,
			`implementations.gw.deviations.SpanName."b row".seen[0]: must not be empty`,
		},
	}, {
		name: "unknown feature, in a set and in a profile",
		set:  "    Nope:\n      \"a row\": {seen: [x], reason: why}\n", sets: "[tracer]",
		own: "      Neither:\n        \"a row\": {seen: [x], reason: why}\n",
		want: []string{
			`deviationSets.tracer.Nope: "Nope" is not a feature; allowed: SpanName`,
			`implementations.gw.deviations.Neither: "Neither" is not a feature`,
		},
	}, {
		name: "unknown set",
		set:  "    {}\n", sets: "[tracer, tracr]", own: row,
		want: []string{`implementations.gw.deviationSets[1]: "tracr" is not a deviation set; allowed: tracer (deviationSets)`},
	}, {
		name: "a row declared in a set and again by the profile",
		set:  "    SpanName:\n      \"a row\": {seen: [x], reason: why}\n", sets: "[tracer]", own: row,
		want: []string{`implementations.gw.deviations.SpanName."a row": already declared by deviationSets.tracer`},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.LoadFile(deviationsFile(t, tc.set, tc.sets, tc.own), nil, config.TestFeatures)
			for _, want := range tc.want {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}
