package matrix

import (
	"reflect"
	"strings"

	"github.com/tracegate/tracegate/framework/report"
)

// Look is how a result is shown: its words and its colour.
type Look struct {
	Words  string `json:"words"`
	Colour string `json:"colour"`
	Pass   bool   `json:"pass"` // a pass opens no evidence
}

// looks is the one table of how results are shown, by the report's own strings: a spec's by the
// YAML key of the list it is in (failedSpecs), a feature's by its result (failure), a run's by its
// outcome or verdict. A string the table does not know is shown as it is, in grey: a result a
// newer report adds is never hidden.
var looks = map[string]Look{
	// specs, by their list in the feature's report
	"passedSpecs":         {"pass", "#2e8b57", true},
	"partialSpecs":        {"partial", "#8fbc5a", false},
	"passedWithGapsSpecs": {"passed with gaps", "#8fbc5a", false},
	"advisorySpecs":       {"advisory: a rule below MUST broken", "#8fbc5a", false},
	"deviations":          {"declared deviation", "#e0a030", false},
	"failedSpecs":         {"failure", "#d0453a", false},
	"notApplicable":       {"not applicable", "#9aa5b1", false},
	"skippedSpecs":        {"skipped", "#c3c8cf", false},
	"interruptedSpecs":    {"interrupted", "#8e44ad", false},
	"notRunSpecs":         {"not run", "#6c7a89", false},
	// features, and runs
	"success":                 {"success", "#2e8b57", true},
	"success-with-deviations": {"success with deviations", "#b5c85a", false},
	"partial":                 {"partial", "#b5c85a", false},
	"deviates":                {"deviates", "#e0a030", false},
	"failure":                 {"failure", "#d0453a", false},
	"not-applicable":          {"not applicable", "#9aa5b1", false},
	"skipped":                 {"skipped", "#c3c8cf", false},
	"not-run":                 {"not run", "#6c7a89", false},
	"interrupted":             {"interrupted", "#8e44ad", false},
	"passed":                  {"passed", "#2e8b57", true},
	"failed":                  {"failed", "#d0453a", false},
	"setup-failed":            {"setup failed", "#d0453a", false},
	"teardown-failed":         {"teardown failed", "#d0453a", false},
	"config-error":            {"config error", "#d0453a", false},
	"timed-out":               {"timed out", "#8e44ad", false},
	"report-not-written":      {"report not written", "#d0453a", false},
	"no-report":               {"no report", "#6c7a89", false},
	"absent":                  {"absent from this run", "#ffffff", false},
}

// LookOf is how the result s is shown.
func LookOf(s string) Look {
	if l, ok := looks[s]; ok {
		return l
	}
	return Look{Words: s, Colour: "#b0b0b0"}
}

// specLists are a feature report's lists of specs, each with the YAML key that names its result,
// found by reflection: a list the report adds shows up here without a change.
func specLists(f report.FeatureReport) map[string][]report.SpecResult {
	out := map[string][]report.SpecResult{}
	v := reflect.ValueOf(f)
	want := reflect.TypeFor[[]report.SpecResult]()
	for i := range v.NumField() {
		field := v.Type().Field(i)
		if field.Type != want {
			continue
		}
		key, _, _ := strings.Cut(field.Tag.Get("yaml"), ",")
		if key == "" {
			key = field.Name
		}
		out[key] = v.Field(i).Interface().([]report.SpecResult)
	}
	return out
}
