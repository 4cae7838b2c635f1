package tracing

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

// A profile's deviations are keyed by the spec's or row's stable ID: every declaration must name
// an ID of its feature, or it would match nothing.
func TestDeclaredDeviationsNameIDs(t *testing.T) {
	ids := map[string][]string{}
	for _, f := range All() {
		ids[f.Name] = f.DeclarableIDs()
	}
	for _, impl := range []string{"caddy", "contour", "envoy", "envoy-gateway", "kgateway"} {
		env := map[string]string{"E2E_IMPLEMENTATION": impl}
		if impl == "contour" { // no local profile: it runs on kwok only
			env["E2E_ENV"] = "kwok"
		}
		c, err := config.LoadFile(
			filepath.Join("..", "..", config.FileName),
			func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			Names(),
		)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Implementation.Deviations) == 0 && impl != "kgateway" {
			t.Errorf("%s declares no deviation; the test reads none", impl)
		}
		for feature, declared := range c.Implementation.Deviations {
			for id, d := range declared {
				// A failure names the file to edit: the profile's for its own declarations.
				if own := strings.HasPrefix(d.Source, "implementations."); own && !strings.HasSuffix(d.Source, " in "+c.ImplementationFile()) {
					t.Errorf("%s %q: source %q, want it in %s", feature, id, d.Source, c.ImplementationFile())
				}
				if !slices.Contains(ids[feature], id) {
					t.Errorf("implementations.%s.deviations.%s declares %q, which is no ID of the feature", impl, feature, id)
				}
			}
		}
	}
}
