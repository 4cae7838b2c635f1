package matrix

import (
	"testing"

	"github.com/tracegate/tracegate/framework/report"
)

// TestEverySpecListHasALook: each list of specs a feature report has (its YAML key) is a row of
// the one table of looks, so a result a report adds gets its words and colour there.
func TestEverySpecListHasALook(t *testing.T) {
	lists := specLists(report.FeatureReport{})
	if len(lists) == 0 {
		t.Fatal("found no []SpecResult field in report.FeatureReport")
	}
	for key := range lists {
		if _, ok := looks[key]; !ok {
			t.Errorf("the report's spec list %q has no row in looks (results.go)", key)
		}
	}
	if l := LookOf("a-result-from-a-newer-report"); l.Words != "a-result-from-a-newer-report" || l.Pass {
		t.Errorf("an unknown result: expected it shown as it is and not as a pass, got %+v", l)
	}
}
