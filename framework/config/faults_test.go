package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const faultsFile = `
environment: local
environments:
  local: {type: local, implementation: gw}
  weather: {type: local, implementation: gw, faults: ci-weather}
implementations:
  gw:
    local: {command: [gw]}
faults:
  ci-weather:
    client: {latencyProbability: 0.2, latencyMin: 1s, latencyMax: 5s, resetFraction: 0.1}
    export: {resetFraction: 0.1, blackholeEvery: 20s, blackholeFor: 2s}
`

func loadString(t *testing.T, text string, env map[string]string) (*Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ginkgo.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return LoadFile(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, TestFeatures)
}

func TestFaultProfileResolves(t *testing.T) {
	c, err := loadString(t, faultsFile, map[string]string{"E2E_ENV": "weather"})
	if err != nil {
		t.Fatal(err)
	}
	f := c.Environment.Faults
	if f == nil || f.Name != "ci-weather" || f.Client.LatencyMax != 5*time.Second || f.Client.ResetFraction != 0.1 ||
		f.Export.BlackholeFor != 2*time.Second || f.Export.LatencyProbability != 0 {
		t.Fatalf("profile %+v client %+v export %+v", f, f.Client, f.Export)
	}
	if !strings.Contains(c.Summary(), "faults: ci-weather") {
		t.Fatalf("summary lacks the fault profile:\n%s", c.Summary())
	}
	if c, _ := loadString(t, faultsFile, nil); c.Environment.Faults != nil {
		t.Fatal("an environment without faults got a profile")
	}
}

func TestFaultProfileErrors(t *testing.T) {
	cases := map[string]struct{ replace, with, want string }{
		"unknown profile": {
			"faults: ci-weather}",
			"faults: weather}",
			`environments.weather.faults: "weather" is not a fault profile; allowed: ci-weather`,
		},
		"probability above 1": {
			"latencyProbability: 0.2",
			"latencyProbability: 2",
			"faults.ci-weather.client.latencyProbability: 2 is not allowed; allowed: a fraction from 0 to 1",
		},
		"max below min":        {"latencyMax: 5s", "latencyMax: 500ms", "faults.ci-weather.client.latencyMax: must be >= latencyMin (1s)"},
		"blackhole half set":   {"blackholeEvery: 20s, ", "", "blackholeEvery and blackholeFor must be set together"},
		"blackhole never ends": {"blackholeFor: 2s", "blackholeFor: 30s", "must be shorter than blackholeEvery (20s)"},
		"unknown field": {
			"resetFraction: 0.1}\n    export",
			"resetFraction: 0.1, jitter: 1}\n    export",
			"faults.ci-weather.client.jitter: unknown field; allowed: latencyProbability, latencyMin, latencyMax, resetFraction, " +
				"blackholeEvery, blackholeFor",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			text := strings.Replace(faultsFile, c.replace, c.with, 1)
			if text == faultsFile {
				t.Fatalf("replacement %q not found", c.replace)
			}
			_, err := loadString(t, text, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "ginkgo.yaml:") {
				t.Fatalf("want an error with file:line and %q, got %v", c.want, err)
			}
		})
	}
}
