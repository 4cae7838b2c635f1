package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCollectorResolvesAndValidates(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "otelcol.tmpl"), []byte("endpoint: {{.ListenAddr}}\n"), 0o644)
	file := `
environments:
  local: {type: local, implementation: gw, collector: {command: [bin/otelcol, --config, "{{.ConfigFile}}"], ` +
		`configTemplate: otelcol.tmpl, configName: otelcol.yaml}}
implementations:
  gw:
    local: {command: [gw]}
`
	path := filepath.Join(dir, "ginkgo.yaml")
	os.WriteFile(path, []byte(file), 0o644)
	c, err := LoadFile(path, nil, TestFeatures)
	if err != nil {
		t.Fatal(err)
	}
	if col := c.Environment.Collector; col == nil ||
		col.ConfigTemplate != filepath.Join(dir, "otelcol.tmpl") ||
		col.Command[0] != "bin/otelcol" {
		t.Fatalf("collector %+v", c.Environment.Collector)
	}
	for name, tc := range map[string]struct{ from, to, want string }{
		"missing template": {
			"otelcol.tmpl",
			"nope.tmpl",
			"environments.local.collector.configTemplate: " + filepath.Join(dir, "nope.tmpl") + " does not exist",
		},
		"empty command":  {`[bin/otelcol, --config, "{{.ConfigFile}}"]`, "[]", "environments.local.collector.command: required"},
		"no config name": {", configName: otelcol.yaml", "", "environments.local.collector.configName: required"},
	} {
		t.Run(name, func(t *testing.T) {
			os.WriteFile(path, []byte(strings.Replace(file, tc.from, tc.to, 1)), 0o644)
			if _, err := LoadFile(path, nil, TestFeatures); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want %q, got %v", tc.want, err)
			}
		})
	}
}
