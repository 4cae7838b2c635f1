package harness

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/report"
)

func TestCheckDeviationsRefusesWhatNoSpecJudges(t *testing.T) {
	features := []report.Feature{{Name: "StatusMatrix", Deviable: []string{"row a", "row b"}}, {Name: "SpanName"}}
	decl := func(feature, row string) *config.Config {
		return &config.Config{Implementation: config.Implementation{Deviations: map[string]map[string]config.Deviation{
			feature: {row: {Seen: []string{"x"}, Reason: "y", Source: "implementations.gw.deviations." + feature + " in p.yaml"}}}}}
	}
	if err := CheckDeviations(decl("StatusMatrix", "row b"), features); err != nil {
		t.Errorf("a deviable row was refused: %v", err)
	}
	for _, tc := range []struct{ feature, row, want string }{
		{"StatusMatrix", "row c", `implementations.gw.deviations.StatusMatrix in p.yaml: "row c" is not a spec or row of StatusMatrix that can be a known deviation; allowed: "row a", "row b"`},
		{"SpanName", "uses the route's decorator", `"uses the route's decorator": feature SpanName has no spec that can be a known deviation`},
	} {
		err := CheckDeviations(decl(tc.feature, tc.row), features)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: got %v, want %s", tc.feature, tc.row, err, tc.want)
		}
	}
}
