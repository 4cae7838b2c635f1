package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

// runSettings is a ginkgo.yaml with run settings only: its implementation is in a profile.
const runSettings = "environments:\n  local: {type: local, implementation: gw}\n"

// gwProfile is a profile of the implementation gw with a config template beside it.
const gwProfile = "implementations:\n  gw:\n    features: [SpanName]\n    local: {command: [bin/gw], configTemplate: gw.tmpl, " +
	"configName: gw.conf, readyPath: /ready}\n"

// writeFiles writes name -> text under a new directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestProfilesBesideTheConfig: profiles/<implementation>.yaml beside ginkgo.yaml defines the
// implementation; its relative paths resolve against the config file's directory.
func TestProfilesBesideTheConfig(t *testing.T) {
	dir := writeFiles(t, map[string]string{"ginkgo.yaml": runSettings, "profiles/gw.yaml": gwProfile, "gw.tmpl": "listen {{.GatewayPort}}\n"})
	c := mustLoadFile(t, filepath.Join(dir, "ginkgo.yaml"), nil)
	want := filepath.Join(dir, "profiles", "gw.yaml")
	if c.Implementation.Name != "gw" ||
		!c.Implementation.Supports("SpanName") ||
		c.Implementation.File != want ||
		c.Implementation.Dir != dir ||
		c.Implementation.Local.ConfigTemplate != filepath.Join(dir, "gw.tmpl") ||
		!strings.Contains(c.Summary(), "profiles: "+want+"\n") {
		t.Errorf("implementation %+v, summary:\n%s", c.Implementation, c.Summary())
	}
}

// TestE2EProfileAddsAnImplementersProfile: E2E_PROFILE adds a profile file from anywhere, whose
// relative paths resolve against its own directory; it may replace a built-in one, and says so.
func TestE2EProfileAddsAnImplementersProfile(t *testing.T) {
	repo := writeFiles(t, map[string]string{"ginkgo.yaml": runSettings + "  other: {type: local, implementation: builtin}\n",
		"profiles/builtin.yaml": strings.ReplaceAll(gwProfile, "gw:", "builtin:"), "gw.tmpl": "x\n"})
	mine := writeFiles(t, map[string]string{"my/gw.yaml": gwProfile, "my/gw.tmpl": "listen {{.GatewayPort}}\n",
		"builtin.yaml": strings.ReplaceAll(strings.ReplaceAll(gwProfile, "gw:", "builtin:"), "gw.tmpl", "my/gw.tmpl")})
	c := mustLoadFile(
		t,
		filepath.Join(repo, "ginkgo.yaml"),
		env("E2E_PROFILE", filepath.Join(mine, "my/gw.yaml")+","+filepath.Join(mine, "builtin.yaml")),
	)
	if c.Implementation.Local.ConfigTemplate != filepath.Join(mine, "my", "gw.tmpl") || c.Implementation.Dir != filepath.Join(mine, "my") {
		t.Errorf(
			"E2E_PROFILE's relative paths: template %s, dir %s; want them under %s",
			c.Implementation.Local.ConfigTemplate,
			c.Implementation.Dir,
			filepath.Join(mine, "my"),
		)
	}
	c = mustLoadFile(
		t,
		filepath.Join(repo, "ginkgo.yaml"),
		env("E2E_PROFILE", filepath.Join(mine, "my/gw.yaml")+":"+filepath.Join(mine, "builtin.yaml"), "E2E_ENV", "other"),
	)
	if c.Implementation.Local.ConfigTemplate != filepath.Join(mine, "my", "gw.tmpl") ||
		!strings.Contains(c.Summary(), "replaces implementations.builtin of "+filepath.Join(repo, "profiles", "builtin.yaml")+":2") {
		t.Errorf("the replacing profile: template %s, summary:\n%s", c.Implementation.Local.ConfigTemplate, c.Summary())
	}
}

// TestProfileErrorsNameTheProfileFile: a bad field in a profile is reported with the profile's
// file and line; a misplaced key, a second implementation, a file named after another
// implementation or one defined twice stop the run naming the file.
func TestProfileErrorsNameTheProfileFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"ginkgo.yaml":      runSettings,
		"profiles/gw.yaml": strings.Replace(gwProfile, "[SpanName]", "[SpanName, Nope]", 1),
		"gw.tmpl":          "x\n",
	})
	_, err := config.LoadFile(filepath.Join(dir, "ginkgo.yaml"), nil, config.TestFeatures)
	if err == nil || !strings.Contains(
		err.Error(),
		filepath.Join(dir, "profiles", "gw.yaml")+`:3: implementations.gw.features[1]: "Nope" is not allowed; allowed: `,
	) {
		t.Errorf("want the profile's file, line and field, got %v", err)
	}
	for name, tc := range map[string]struct{ ginkgo, profile, want string }{
		"run settings": {runSettings, gwProfile + "waits: {}\n", "gw.yaml:5: waits: not allowed in a profile file; allowed: implementations"},
		"two": {
			runSettings,
			gwProfile + "  other: {}\n",
			"gw.yaml:2: implementations: a profile file defines exactly one implementation; found 2 [gw other]",
		},
		"misnamed": {
			runSettings,
			strings.ReplaceAll(gwProfile, "gw:", "other:"),
			"gw.yaml:2: implementations.other: a profile in profiles defines the implementation its file is named after; want gw",
		},
		"defined twice": {runSettings + "implementations:\n  gw: {}\n", gwProfile, "gw.yaml:2: implementations.gw: already defined at "},
	} {
		dir := writeFiles(t, map[string]string{"ginkgo.yaml": tc.ginkgo, "profiles/gw.yaml": tc.profile, "gw.tmpl": "x\n"})
		if _, err := config.LoadFile(
			filepath.Join(dir, "ginkgo.yaml"),
			nil,
			config.TestFeatures,
		); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want %q, got %v", name, tc.want, err)
		}
	}
	if _, err := config.LoadFile(
		filepath.Join(dir, "ginkgo.yaml"),
		env("E2E_PROFILE", "no/such.yaml"),
		config.TestFeatures,
	); err == nil || !strings.Contains(err.Error(), "E2E_PROFILE=no/such.yaml") {
		t.Errorf("a missing E2E_PROFILE file: %v", err)
	}
}
