package tracing

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

// A profile's deviations are keyed by row text: a row renamed here would leave its declaration
// matching nothing. Every declared row of a table-driven feature must be a row of its table.
func TestDeclaredDeviationsNameRowsOfTheTable(t *testing.T) {
	rows := map[string][]string{}
	for _, v := range contextVectors {
		rows["TraceContext"] = append(rows["TraceContext"], v.name)
	}
	for _, r := range semconvRows {
		rows["SemanticConventions"] = append(rows["SemanticConventions"], r.name)
	}
	for _, impl := range []string{"caddy", "envoy", "envoy-gateway", "kgateway"} {
		env := map[string]string{"E2E_IMPLEMENTATION": impl}
		c, err := config.LoadFile(filepath.Join("..", "..", config.FileName), func(k string) (string, bool) { v, ok := env[k]; return v, ok }, Names())
		if err != nil {
			t.Fatal(err)
		}
		for feature, table := range rows {
			for row := range c.Implementation.Deviations[feature] {
				if !slices.Contains(table, row) {
					t.Errorf("implementations.%s.deviations.%s declares %q, which is no row of the table", impl, feature, row)
				}
			}
		}
	}
}
