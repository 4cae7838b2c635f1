package tracing

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

// tableOf is the DescribeTable text of each table-driven feature, as RowNames keys it.
var tableOf = map[string]string{
	"TraceContext":        "a caller's trace context",
	"StatusMatrix":        "the span status",
	"SemanticConventions": "HTTP span attributes by requirement level",
}

// A profile's deviations are keyed by row text: a row renamed here would leave its declaration
// matching nothing. Every declared row of a table-driven feature must be a row of its table.
func TestDeclaredDeviationsNameRowsOfTheTable(t *testing.T) {
	rows := RowNames()
	for feature, table := range tableOf {
		if len(rows[table]) == 0 {
			t.Fatalf("RowNames has no rows for %s's table %q", feature, table)
		}
	}
	for _, impl := range []string{"caddy", "contour", "envoy", "envoy-gateway", "kgateway"} {
		env := map[string]string{"E2E_IMPLEMENTATION": impl}
		if impl == "contour" { // no local profile: it runs on kwok only
			env["E2E_ENV"] = "kwok"
		}
		c, err := config.LoadFile(filepath.Join("..", "..", config.FileName), func(k string) (string, bool) { v, ok := env[k]; return v, ok }, Names())
		if err != nil {
			t.Fatal(err)
		}
		for feature, declared := range c.Implementation.Deviations {
			for row, d := range declared {
				// A failure names the file to edit: the profile's for its own declarations.
				if own := strings.HasPrefix(d.Source, "implementations."); own && !strings.HasSuffix(d.Source, " in "+c.ImplementationFile()) {
					t.Errorf("%s %q: source %q, want it in %s", feature, row, d.Source, c.ImplementationFile())
				}
			}
			table, ok := tableOf[feature]
			if !ok { // a spec's own text, not a row: Ginkgo would not find it either way
				continue
			}
			for row := range declared {
				if !slices.Contains(rows[table], row) {
					t.Errorf("implementations.%s.deviations.%s declares %q, which is no row of the table", impl, feature, row)
				}
			}
		}
	}
}
