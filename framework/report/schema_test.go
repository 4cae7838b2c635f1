package report_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/report"
)

// schema are the report's fields, by YAML path, in the current schema version (earlier versions
// are in CHANGELOG.md).
var schema = map[string][]string{
	// v1alpha5: the types in their own package (report/v1alpha5) with json tags; the standards
	// judged (standards), the profile's claim (profileFeatures); the features' sections under sections.
	"tracegate.dev/v1alpha5": {
		"apiVersion",
		"date",
		"environment",
		"features[].deviations[].duration",
		"features[].deviations[].id",
		"features[].deviations[].name",
		"features[].deviations[].reason",
		"features[].failedSpecs[].duration",
		"features[].failedSpecs[].id",
		"features[].failedSpecs[].name",
		"features[].failedSpecs[].reason",
		"features[].interruptedSpecs[].duration",
		"features[].interruptedSpecs[].id",
		"features[].interruptedSpecs[].name",
		"features[].interruptedSpecs[].reason",
		"features[].name",
		"features[].notApplicable[].duration",
		"features[].notApplicable[].id",
		"features[].notApplicable[].name",
		"features[].notApplicable[].reason",
		"features[].notRunSpecs[].duration",
		"features[].notRunSpecs[].id",
		"features[].notRunSpecs[].name",
		"features[].notRunSpecs[].reason",
		"features[].passedSpecs[].duration",
		"features[].passedSpecs[].id",
		"features[].passedSpecs[].name",
		"features[].passedSpecs[].reason",
		"features[].advisorySpecs[].duration",
		"features[].advisorySpecs[].id",
		"features[].advisorySpecs[].name",
		"features[].advisorySpecs[].reason",
		"features[].result",
		"features[].skippedSpecs[].duration",
		"features[].skippedSpecs[].id",
		"features[].skippedSpecs[].name",
		"features[].skippedSpecs[].reason",
		"features[].statistics.advisory",
		"features[].statistics.deviations",
		"features[].statistics.failed",
		"features[].statistics.interrupted",
		"features[].statistics.notApplicable",
		"features[].statistics.notRun",
		"features[].statistics.passed",
		"features[].statistics.skipped",
		"implementation.contact[]",
		"implementation.name",
		"implementation.observedVersion",
		"implementation.organization",
		"implementation.project",
		"implementation.url",
		"implementation.version",
		"kind",
		"run.duration",
		"run.outcome",
		"run.reason",
		"suiteVersion",
		"summary",
		"verdict.conformant",
		"verdict.features[]",
		"verdict.featuresWithDeviations[]",
		"verdict.notConformant[]",
		"verdict.reason",
		"profileFeatures.claimed[]",
		"profileFeatures.notClaimed[]",
		"sections", // the features' own sections, by key
		"standards[].features[]",
		"standards[].name",
		"standards[].url",
		"standards[].version",
	},
}

// values are the values of the report's enumerated fields in the current schema version: a
// change to them is a change of meaning, and so of version.
var values = map[string]map[string][]string{
	"tracegate.dev/v1alpha5": {
		"features[].result": {"success", "success-with-deviations", "deviates", "failure", "not-applicable", "skipped", "not-run", "interrupted"},
		"run.outcome": {
			"passed",
			"failed",
			"setup-failed",
			"teardown-failed",
			"config-error",
			"interrupted",
			"timed-out",
			"report-not-written",
		},
	},
}

// TestSchemaValues: the results and outcomes the code defines are those of its schema version.
func TestSchemaValues(t *testing.T) {
	want := values[report.APIVersion]
	var results []string
	for _, r := range report.Results {
		results = append(results, string(r))
	}
	var outcomes []string
	for _, o := range report.Outcomes {
		outcomes = append(outcomes, string(o))
	}
	if !slices.Equal(results, want["features[].result"]) || !slices.Equal(outcomes, want["run.outcome"]) {
		t.Errorf("results %q and outcomes %q changed without a new schema version (%s): want %q and %q",
			results, outcomes, report.APIVersion, want["features[].result"], want["run.outcome"])
	}
}

// TestSchemaVersion: the report's fields are those of its schema version. A change to them
// fails here until APIVersion is bumped and its fields are listed under the new version.
func TestSchemaVersion(t *testing.T) {
	want, ok := schema[report.APIVersion]
	if !ok {
		t.Fatalf("APIVersion %s has no field list in schema: add one", report.APIVersion)
	}
	got := yamlPaths("", reflect.TypeFor[report.Conformance]())
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf(
			"the report's fields changed without a new schema version: bump report.APIVersion (now %s) and list them:\ngot  %q\nwant %q",
			report.APIVersion,
			got,
			want,
		)
	}
	if c := report.Build(types.Report{}, nil, caddy); c.APIVersion != report.APIVersion {
		t.Errorf("the report says apiVersion %s, want %s", c.APIVersion, report.APIVersion)
	}
}

// yamlPaths lists the YAML paths of t's fields below prefix.
func yamlPaths(prefix string, t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if f.Tag.Get("yaml") == ",inline" {
			out = append(out, prefix+",inline")
			continue
		}
		path := prefix + name
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			path, ft = path+"[]", ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			out = append(out, yamlPaths(path+".", ft)...)
		} else {
			out = append(out, path)
		}
	}
	return out
}
