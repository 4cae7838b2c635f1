package conformance

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate"
	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
)

// load prepares o in a temporary directory and loads the config as Run does.
func load(t *testing.T, opts ...Option) (*config.Config, error) {
	t.Helper()
	o, err := newOptions(opts)
	if err != nil {
		t.Fatal(err)
	}
	root, profiles, impl, err := o.prepare(t.TempDir())
	if err != nil {
		return nil, err
	}
	return config.LoadRoot(config.Root{Dir: root, Profiles: profiles, RunDir: o.reportDir}, o.lookup(impl), tracing.Names())
}

// TestEveryEmbeddedEnvironmentLoads: every file the embedded ginkgo.yaml and profiles name is
// embedded, so each environment validates from the extracted copy, with nothing of the
// working directory's.
func TestEveryEmbeddedEnvironmentLoads(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := load(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.Environment.Name != "envoy" ||
		c.Environment.Type != config.TypeLocal ||
		!strings.HasSuffix(c.File, filepath.Join("root", config.FileName)) {
		t.Errorf("the default: environment %s of type %s from %s", c.Environment.Name, c.Environment.Type, c.File)
	}
	for _, env := range []string{
		"local",
		"envoy-http",
		"local-faults",
		"envoy-faults",
		"envoy-as-envoy-gateway",
		"envoy-as-kgateway",
		"kind",
		"kwok",
		"existing",
	} {
		c, err := load(t, WithEnvironment(env))
		if err != nil {
			t.Errorf("environment %s: %v", env, err)
		} else if c.Environment.Name != env {
			t.Errorf("WithEnvironment(%s) ran %s", env, c.Environment.Name)
		}
	}
}

// TestOptionsWinOverTheEnvironment: the options' environment, implementation and report
// directory win over E2E_ENV and E2E_REPORT_DIR; reports and artifacts go to the report
// directory.
func TestOptionsWinOverTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	writeProfile(t, dir, "gw.tmpl", "listen {{.GatewayPort}}\n")
	writeProfile(
		t,
		dir,
		"mine.yaml",
		"implementations:\n  mine:\n    features: [SpanName]\n    local: {command: [bin/gw], configTemplate: gw.tmpl, readyPath: /ready}\n",
	)
	t.Setenv("E2E_ENV", "local")
	t.Setenv("E2E_REPORT_DIR", filepath.Join(dir, "not-here"))
	reports := filepath.Join(dir, "reports")
	c, err := load(t, WithProfileFile(filepath.Join(dir, "mine.yaml")), WithEnvironment("envoy-http"), WithReportDir(reports))
	if err != nil {
		t.Fatal(err)
	}
	if c.Environment.Name != "envoy-http" ||
		c.Implementation.Name != "mine" ||
		c.Implementation.Local.ConfigTemplate != filepath.Join(dir, "gw.tmpl") {
		t.Errorf(
			"environment %s, implementation %s, template %s",
			c.Environment.Name,
			c.Implementation.Name,
			c.Implementation.Local.ConfigTemplate,
		)
	}
	if c.ReportDir != reports || c.Debug.ArtifactsDir != filepath.Join(reports, "_artifacts") {
		t.Errorf("reports in %s, artifacts in %s; want both in %s", c.ReportDir, c.Debug.ArtifactsDir, reports)
	}
	if c, err := load(t, WithProfileFile(filepath.Join(dir, "mine.yaml"))); err != nil ||
		c.Environment.Name != "local" ||
		c.ReportDir != filepath.Join(dir, "not-here") {
		t.Errorf("without options E2E_ENV and E2E_REPORT_DIR apply: %v", err)
	}
	if _, err := load(t, WithProfileFile("no-such.yaml")); err == nil ||
		!strings.Contains(err.Error(), `WithProfileFile("no-such.yaml"), relative to the working directory`) {
		t.Errorf("a missing profile file: %v", err)
	}
}

// TestProfileAsAGoValue: WithProfile takes the profile as a value, checked as strictly as a
// file, its relative paths resolving against the working directory.
func TestProfileAsAGoValue(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeProfile(t, dir, "gw.tmpl", "listen {{.GatewayPort}}\n")
	type local struct {
		Command        []string `yaml:"command"`
		ConfigTemplate string   `yaml:"configTemplate"`
		ReadyPath      string   `yaml:"readyPath"`
	}
	type impl struct {
		Features []string `yaml:"features"`
		Local    local    `yaml:"local"`
	}
	profile := map[string]any{"implementations": map[string]impl{
		"mine": {Features: []string{"SpanName"}, Local: local{Command: []string{"bin/gw"}, ConfigTemplate: "gw.tmpl", ReadyPath: "/ready"}},
	}}
	c, err := load(t, WithProfile(profile))
	if err != nil {
		t.Fatal(err)
	}
	if c.Implementation.Name != "mine" || c.Implementation.Local.ConfigTemplate != filepath.Join(dir, "gw.tmpl") {
		t.Errorf(
			"implementation %s, template %s; want mine, %s",
			c.Implementation.Name,
			c.Implementation.Local.ConfigTemplate,
			filepath.Join(dir, "gw.tmpl"),
		)
	}
	bad := map[string]any{"implementations": map[string]any{"mine": map[string]any{"featurez": []string{"SpanName"}}}}
	if _, err := load(t, WithProfile(bad)); err == nil || !strings.Contains(err.Error(), "featurez") {
		t.Errorf("an unknown key in a WithProfile value: %v", err)
	}
	if _, err := load(t, WithProfile(profile), WithProfileFile("x.yaml")); err == nil || !strings.Contains(err.Error(), "both given") {
		t.Errorf("both options: %v", err)
	}
}

// TestExtractMakesScriptsExecutable: the embedded Envoy installer runs as the envoy profile's
// build command, which embed.FS's modes alone would not allow.
func TestExtractMakesScriptsExecutable(t *testing.T) {
	root := t.TempDir()
	if err := extract(tracegate.Files, root); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(root, "scripts", "install-envoy.sh"))
	if err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("scripts/install-envoy.sh: %v, mode %v", err, fi.Mode())
	}
	for _, f := range []string{
		"ginkgo.yaml",
		"profiles/envoy.yaml",
		"fixtures/local/envoy/bootstrap.yaml.tmpl",
		"tools/envoy/requirements.txt",
	} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("%s not extracted: %v", f, err)
		}
	}
	if got, _ := filepath.Glob(filepath.Join(root, "fixtures", "*")); slices.Contains(got, filepath.Join(root, "fixtures", "mutations")) {
		t.Errorf("fixtures the config never names are embedded: %v", got)
	}
}

func writeProfile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
