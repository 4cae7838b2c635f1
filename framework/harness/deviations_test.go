package harness

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/report"
)

func TestCheckDeviationsRefusesAMisnamedRow(t *testing.T) {
	features := []report.Feature{{Name: "StatusMatrix", Deviable: []string{"row a", "row b"}}, {Name: "SpanName"}}
	decl := func(feature, row string) *config.Config {
		return &config.Config{Implementation: config.Implementation{Deviations: map[string]map[string]config.Deviation{
			feature: {row: {Seen: []string{"x"}, Reason: "y", Source: "implementations.gw.deviations." + feature + " in p.yaml"}}}}}
	}
	for _, ok := range []*config.Config{decl("StatusMatrix", "row b"), decl("SpanName", "any spec")} {
		if err := CheckDeviations(ok, features); err != nil {
			t.Errorf("a declarable row was refused: %v", err)
		}
	}
	for _, tc := range []struct{ feature, row, want string }{
		{"StatusMatrix", "row c", `implementations.gw.deviations.StatusMatrix in p.yaml: "row c" is not the ID of a spec or row of ` +
			`StatusMatrix (a declaration names the ID, not the sentence); allowed: "row a", "row b"`},
	} {
		err := CheckDeviations(decl(tc.feature, tc.row), features)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: got %v, want %s", tc.feature, tc.row, err, tc.want)
		}
	}
}
