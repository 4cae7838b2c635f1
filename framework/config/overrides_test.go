package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

func TestReportDirOverride(t *testing.T) {
	dir := t.TempDir()
	c := mustLoadFile(t, "testdata/valid.yaml", env("E2E_REPORT_DIR", dir))
	if c.ReportDir != dir || !strings.Contains(c.Summary(), "E2E_REPORT_DIR="+dir) {
		t.Errorf("ReportDir %q, want %q, logged as an override:\n%s", c.ReportDir, dir, c.Summary())
	}
}

func TestMissingE2EConfigNamesTheVariable(t *testing.T) {
	_, err := config.Load(env("E2E_CONFIG", filepath.Join(t.TempDir(), "nope.yaml")), config.TestFeatures)
	if err == nil || !strings.Contains(err.Error(), "E2E_CONFIG=") || !strings.Contains(err.Error(), "unset E2E_CONFIG") {
		t.Fatalf("want an error naming E2E_CONFIG, got %v", err)
	}
}

// The line of a YAML syntax error is the line a person counts, for parser and scanner errors.
func TestSyntaxErrorLines(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{
			"environment: local\nwaits:\n  default:\n    span: {timeout: 10s\n    absence: {timeout: 2s}\n",
			":4: invalid YAML: did not find expected ',' or '}'",
		},
		{"a: 1\nb: [1, 2\nc: 3\n", ":2: invalid YAML: did not find expected ',' or ']'"},
		{"a: 1\n  b: 2\nc: 3\n", ":2: invalid YAML: mapping values are not allowed in this context"},
	} {
		path := filepath.Join(t.TempDir(), "ginkgo.yaml")
		if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := config.LoadFile(path, nil, config.TestFeatures); err == nil || !strings.Contains(err.Error(), path+tc.want) {
			t.Errorf("%q: got %v, want %s%s", tc.yaml, err, path, tc.want)
		}
	}
}

// TestRunDirNotConfigDir: a config file elsewhere (an implementer's E2E_CONFIG) does not put
// artifacts or reports beside itself: they go under the repository the run is in or, outside
// one, the working directory (issue 22).
func TestRunDirNotConfigDir(t *testing.T) {
	path := write(t, "environments:\n  local: {type: local, implementation: gw}\nimplementations:\n  gw:\n    local: {command: [gw]}\n")
	repo, err := filepath.Abs("../..") // this package's directory is framework/config
	if err != nil {
		t.Fatal(err)
	}
	c := mustLoadFile(t, path, nil)
	if c.Debug.ArtifactsDir != filepath.Join(repo, "_artifacts") || c.ReportDir != filepath.Join(repo, "reports") {
		t.Errorf(
			"artifacts in %s, reports in %s; want both under the repository %s, not beside %s",
			c.Debug.ArtifactsDir,
			c.ReportDir,
			repo,
			path,
		)
	}
	outside := t.TempDir()
	t.Chdir(outside)
	if c := mustLoadFile(t, path, nil); c.Debug.ArtifactsDir != filepath.Join(outside, "_artifacts") ||
		c.ReportDir != filepath.Join(outside, "reports") {
		t.Errorf(
			"outside a repository: artifacts in %s, reports in %s; want both under the working directory %s",
			c.Debug.ArtifactsDir,
			c.ReportDir,
			outside,
		)
	}
}
