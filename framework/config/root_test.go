package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

// TestLoadRootUsesOnlyWhatItIsGiven: LoadRoot loads the root's ginkgo.yaml and profiles, adds
// the caller's profile (its relative paths against the Dir it is given), resolves the run's
// paths against RunDir, and never looks at the working directory's ginkgo.yaml or E2E_CONFIG.
func TestLoadRootUsesOnlyWhatItIsGiven(t *testing.T) {
	root := writeFiles(t, map[string]string{"ginkgo.yaml": runSettings, "profiles/gw.yaml": gwProfile, "gw.tmpl": "x\n"})
	mine := writeFiles(t, map[string]string{
		"generated/mine.yaml": strings.ReplaceAll(gwProfile, "gw:", "mine:"),
		"src/gw.tmpl":         "listen {{.GatewayPort}}\n",
	})
	// A working directory whose ginkgo.yaml would not load: LoadRoot must not read it.
	wd := writeFiles(t, map[string]string{"ginkgo.yaml": "nonsense: [\n"})
	t.Chdir(wd)
	run := t.TempDir()
	c, err := config.LoadRoot(config.Root{
		Dir:      root,
		Profiles: []config.ProfileFile{{Path: filepath.Join(mine, "generated", "mine.yaml"), Dir: filepath.Join(mine, "src")}},
		RunDir:   run,
	}, env("E2E_IMPLEMENTATION", "mine", "E2E_CONFIG", filepath.Join(wd, "ginkgo.yaml")), config.TestFeatures)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != filepath.Join(root, "ginkgo.yaml") || c.Implementation.Name != "mine" || c.Implementation.Dir != filepath.Join(mine, "src") ||
		c.Implementation.Local.ConfigTemplate != filepath.Join(mine, "src", "gw.tmpl") {
		t.Errorf("file %s, implementation %+v", c.File, c.Implementation)
	}
	if c.ReportDir != filepath.Join(run, "reports") || c.Debug.ArtifactsDir != filepath.Join(run, "_artifacts") {
		t.Errorf("reports %s, artifacts %s; want them under %s", c.ReportDir, c.Debug.ArtifactsDir, run)
	}
	if name, err := config.ProfileName(filepath.Join(mine, "generated", "mine.yaml")); name != "mine" || err != nil {
		t.Errorf("ProfileName: %q, %v", name, err)
	}
}

// TestLoadRootNamesAMissingProfile: a profile path that is no file stops the load naming it.
func TestLoadRootNamesAMissingProfile(t *testing.T) {
	root := writeFiles(t, map[string]string{"ginkgo.yaml": runSettings, "profiles/gw.yaml": gwProfile, "gw.tmpl": "x\n"})
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := config.LoadRoot(config.Root{Dir: root, Profiles: []config.ProfileFile{{Path: missing}}}, nil, config.TestFeatures)
	if err == nil || !strings.Contains(err.Error(), "profile "+missing+" is not a file") {
		t.Errorf("want the missing profile named, got %v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("the missing profile was created")
	}
}
