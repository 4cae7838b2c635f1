package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
)

func TestMissingFile(t *testing.T) {
	_, err := config.LoadFile(filepath.Join(t.TempDir(), "nope.yaml"), nil, config.TestFeatures)
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("error = %v", err)
	}

	dir := t.TempDir()
	t.Chdir(dir)
	_, err = config.Load(env(), config.TestFeatures)
	if err == nil || !strings.Contains(err.Error(), "ginkgo.yaml not found in") || !strings.Contains(err.Error(), "E2E_CONFIG") {
		t.Fatalf("Load without a file: error = %v", err)
	}
}

func TestLoadWalksUp(t *testing.T) {
	path := write(t, "environments: {local: {type: local, implementation: gw}}\nimplementations: {gw: {local: {command: [gw]}}}\n")
	root := filepath.Dir(path)
	nested := filepath.Join(root, "suites", "tracing")
	if err := os.MkdirAll(nested, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(nested)
	c, err := config.Load(env(), config.TestFeatures)
	if err != nil {
		t.Fatal(err)
	}
	if !sameFile(t, c.File, path) || !sameFile(t, c.Dir, root) {
		t.Errorf("File, Dir = %s, %s; want %s, %s", c.File, c.Dir, path, root)
	}
}

func TestLoadE2EConfig(t *testing.T) {
	valid, err := filepath.Abs("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// A ginkgo.yaml in the working directory that must not be used.
	decoy := write(t, "environment: decoy\n")
	root := filepath.Dir(decoy)
	other := filepath.Join(root, "ci", "other.yaml")
	if err := os.MkdirAll(filepath.Dir(other), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(valid)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(data), "configTemplate: fixtures/local/caddy/Caddyfile.tmpl", "configTemplate: ../gateway.tmpl")
	for _, dir := range []string{"fixtures/kind", "fixtures/gateway-api", "fixtures/envoy"} { // the cluster profile's files
		text = strings.ReplaceAll(text, dir, filepath.Join(filepath.Dir(valid), dir))
	}
	if err := os.WriteFile(other, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	nested := filepath.Join(root, "suites", "tracing")
	if err := os.MkdirAll(nested, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(nested)
	for _, tt := range []struct{ e2eConfig, want string }{
		{valid, valid},           // absolute
		{"ci/other.yaml", other}, // relative: looked up from the working directory upwards
		{"../../ci/other.yaml", other},
	} {
		c, err := config.Load(env("E2E_CONFIG", tt.e2eConfig), config.TestFeatures)
		if err != nil {
			t.Fatalf("E2E_CONFIG=%s: %v", tt.e2eConfig, err)
		}
		if !sameFile(t, c.File, tt.want) {
			t.Errorf("E2E_CONFIG=%s loaded %s, want %s", tt.e2eConfig, c.File, tt.want)
		}
	}
	_, err = config.Load(env("E2E_CONFIG", "ci/missing.yaml"), config.TestFeatures)
	if err == nil || !strings.Contains(err.Error(), "ci/missing.yaml not found") {
		t.Errorf("missing E2E_CONFIG: error = %v", err)
	}
}

// TestRepositoryConfig checks that the repository's own ginkgo.yaml is valid and is found from
// the directory the tracing suite runs in.
func TestRepositoryConfig(t *testing.T) {
	suite, err := filepath.Abs("../../suites/tracing")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(suite, "../../ginkgo.yaml")); err != nil {
		t.Skip("no repository ginkgo.yaml:", err)
	}
	t.Chdir(suite)
	c, err := config.Load(env(), tracing.Names())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gatewayReady", "gatewayStop", "span"} { // the waits the framework names
		wait(t, c, name)
	}
	// make e2e's default: real Envoy on this machine, installed from its wheel (no build from
	// source, no cluster: a suite built without the cluster tag runs it).
	if e := c.Environment; e.Name != "envoy" || e.Type != config.TypeLocal || e.Implementation != "envoy" {
		t.Errorf(
			"the default environment is %s (type %s, implementation %s); want envoy (type local, implementation envoy)",
			e.Name,
			e.Type,
			e.Implementation,
		)
	}
}

func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}
