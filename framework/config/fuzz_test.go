package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/config"
)

// FuzzLoad feeds arbitrary bytes to LoadFile: it must never panic, and it returns either an
// error or a Config whose every wait has a timeout and a polling interval > 0.
func FuzzLoad(f *testing.F) {
	valid, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte(tail))
	f.Add([]byte("waits: &a\n  default: *a\n"))
	f.Add([]byte("waits: {kind: {span: {polling: 1m}}}\n" + tail))
	// One directory per fuzzing process, with the template valid.yaml names so that the seed
	// loads without error; each input overwrites the config file.
	dir := f.TempDir()
	tmpl := filepath.Join(dir, "fixtures/local/caddy/Caddyfile.tmpl")
	if err := os.MkdirAll(filepath.Dir(tmpl), 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(tmpl, []byte("listen {{.GatewayPort}}\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(dir, "ginkgo.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang would otherwise only show as a stalled exec count: crash the worker instead,
		// so that the fuzzer records the input.
		timer := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("LoadFile took more than 5s on %q", data)) })
		defer timer.Stop()
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := config.LoadFile(path, nil, config.TestFeatures)
		if err != nil {
			if c != nil {
				t.Fatalf("a config came with the error %v", err)
			}
			return
		}
		if len(c.WaitNames()) == 0 {
			t.Fatal("no waits")
		}
		for _, name := range c.WaitNames() {
			w := c.MustWait(name)
			if w.Timeout <= 0 || w.Polling <= 0 {
				t.Fatalf("wait %s = %+v", name, w)
			}
		}
		if c.Request.AttemptTimeout <= 0 || c.Request.ConsecutiveSuccesses < 1 || c.Request.Retries < 0 {
			t.Fatalf("request policy %+v", c.Request)
		}
		_ = c.Summary()
	})
}
