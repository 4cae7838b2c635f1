package tracing

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
	frameworkharness "github.com/tracegate/tracegate/framework/harness"
)

// Each pinned Envoy's profile (tools/envoy/envoy-<version>.yaml, make e2e ENVOY=<version>, a
// column of make matrix) loads as make e2e loads it: a declaration that names a sentence instead
// of an ID, or a key a newer config refuses, fails here rather than in a run's SynchronizedBeforeSuite.
func TestPinnedEnvoyProfilesLoad(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "tools", "envoy", "envoy-*.yaml"))
	if len(files) == 0 {
		t.Fatal("no tools/envoy/envoy-*.yaml: nothing checked")
	}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"E2E_ENV": "envoy", "E2E_PROFILE": abs,
			"E2E_IMPLEMENTATION": strings.TrimSuffix(filepath.Base(f), ".yaml")}
		cfg, err := config.LoadFile(
			filepath.Join("..", "..", config.FileName),
			func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			Names(),
		)
		if err == nil {
			err = frameworkharness.CheckDeviations(cfg, Catalog()) // as the suite does before any spec
		}
		if err != nil {
			t.Errorf("make e2e ENVOY=%s: %v", strings.TrimPrefix(env["E2E_IMPLEMENTATION"], "envoy-"), err)
		}
	}
}
