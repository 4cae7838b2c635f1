package tracing

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/framework/config"
)

// spanWaitPerExportDelay is how many export delays (the gateway's flush interval) an
// environment's span wait covers at least: the rule kind's and existing's waits follow.
const spanWaitPerExportDelay = 4

// Every environment's waits are derived from its exportDelay, not guessed, with every
// implementation it can run (an implementation's cluster profile may raise the exportDelay, as
// kgateway's 5 s flush does): the span wait covers spanWaitPerExportDelay flush intervals, and
// the absence cap (the absence wait's timeout) at least exportDelay x absence.exportDelayFactor,
// so that it never cuts the window the factor gives.
func TestEachEnvironmentsWaitsCoverItsExportDelay(t *testing.T) {
	path := filepath.Join("..", "..", config.FileName)
	var file struct {
		Environments map[string]struct {
			Type string `yaml:"type"`
		} `yaml:"environments"`
	}
	readYAML(t, path, &file)
	impls, _ := filepath.Glob(filepath.Join("..", "..", "profiles", "*.yaml"))
	for _, name := range slices.Sorted(maps.Keys(file.Environments)) {
		ran := 0
		for _, profile := range impls {
			impl := strings.TrimSuffix(filepath.Base(profile), ".yaml")
			if file.Environments[name].Type == "kwok" && !hasKwokProfile(t, profile, impl) {
				continue // the kwok environment runs only what says how to run it as local processes
			}
			env := map[string]string{"E2E_ENV": name, "E2E_IMPLEMENTATION": impl}
			c, err := config.LoadFile(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, Names())
			if err != nil && cannotRun(err) {
				continue
			}
			if err != nil {
				t.Fatalf("%s with %s: %v", name, impl, err)
			}
			ran++
			delay := c.Environment.ExportDelay
			if span := c.MustWait(config.WaitSpan).Timeout; span < spanWaitPerExportDelay*delay {
				t.Errorf("%s with %s: the span wait (%s) is shorter than %d export delays of %s", name, impl, span, spanWaitPerExportDelay, delay)
			}
			if absence, want := c.MustWait(config.WaitAbsence).Timeout, time.Duration(float64(delay)*c.Absence.ExportDelayFactor); absence < want {
				t.Errorf(
					"%s with %s: the absence wait (%s) caps the window below exportDelay %s x exportDelayFactor (%s)",
					name,
					impl,
					absence,
					delay,
					want,
				)
			}
		}
		if ran == 0 {
			t.Errorf("environment %s runs none of the implementations of profiles/: nothing checked its waits", name)
		}
	}
}

// cannotRun reports whether a config error says that the environment cannot run the
// implementation at all, rather than that the config is wrong.
func cannotRun(err error) bool {
	for _, why := range []string{"has no local profile", "has no cluster profile", "outside the support window"} {
		if strings.Contains(err.Error(), why) {
			return true
		}
	}
	return false
}

// hasKwokProfile reports whether the profile says how to run the implementation on kwok.
func hasKwokProfile(t *testing.T, path, impl string) bool {
	var profile struct {
		Implementations map[string]struct {
			Cluster struct {
				Kwok any `yaml:"kwok"`
			} `yaml:"cluster"`
		} `yaml:"implementations"`
	}
	readYAML(t, path, &profile)
	return profile.Implementations[impl].Cluster.Kwok != nil
}

func readYAML(t *testing.T, path string, into any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
