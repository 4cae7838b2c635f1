package config_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/config"
)

// env returns a lookup over name=value pairs.
func env(kv ...string) config.Env {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// write writes a config file (and the template a local profile may name) into a new directory
// and returns its path.
func write(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gateway.tmpl"), []byte("listen {{.GatewayPort}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ginkgo.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustLoadFile(t *testing.T, path string, lookup config.Env) *config.Config {
	t.Helper()
	c, err := config.LoadFile(path, lookup, config.TestFeatures)
	if err != nil {
		t.Fatalf("LoadFile(%s, config.TestFeatures): %v", path, err)
	}
	return c
}

// timing is the part of a wait the tables check; TestWaitSource checks where it came from.
type timing struct{ Timeout, Polling time.Duration }

func wait(t *testing.T, c *config.Config, name string) timing {
	t.Helper()
	w, err := c.Wait(config.WaitName(name))
	if err != nil {
		t.Fatal(err)
	}
	return timing{w.Timeout, w.Polling}
}
