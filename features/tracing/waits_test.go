package tracing

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/framework/config"
)

// spanWaitPerExportDelay is how many export delays (the gateway's flush interval) an
// environment's span wait covers at least: the rule kind's and existing's waits follow.
const spanWaitPerExportDelay = 4

// Every environment's waits are derived from its exportDelay, not guessed: the span wait covers
// spanWaitPerExportDelay flush intervals, and the absence cap (the absence wait's timeout) at
// least exportDelay x absence.exportDelayFactor, so that it never cuts the window the factor gives.
func TestEachEnvironmentsWaitsCoverItsExportDelay(t *testing.T) {
	path := filepath.Join("..", "..", config.FileName)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Environments map[string]any `yaml:"environments"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	for _, name := range slices.Sorted(maps.Keys(file.Environments)) {
		env := map[string]string{"E2E_ENV": name}
		c, err := config.LoadFile(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, Names())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		delay := c.Environment.ExportDelay
		if span := c.MustWait(config.WaitSpan).Timeout; span < spanWaitPerExportDelay*delay {
			t.Errorf("%s: the span wait (%s) is shorter than %d export delays of %s", name, span, spanWaitPerExportDelay, delay)
		}
		if absence, want := c.MustWait(config.WaitAbsence).Timeout, time.Duration(float64(delay)*c.Absence.ExportDelayFactor); absence < want {
			t.Errorf("%s: the absence wait (%s) caps the window below exportDelay x exportDelayFactor (%s)", name, absence, want)
		}
	}
}
