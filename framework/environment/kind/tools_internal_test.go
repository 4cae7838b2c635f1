package kind

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
)

// TestPinnedIsToolsModules: the versions a run without tools/ installs are those tools/ pins.
func TestPinnedIsToolsModules(t *testing.T) {
	cfg := configtest.Repo(t, map[string]string{"E2E_ENV": "kind"})
	if !inRepository(cfg) {
		t.Fatalf("the repository's config (%s) has no tools/kind", cfg.Dir)
	}
	for _, tool := range Tools {
		if got := tool.Version(cfg); got != tool.Pinned {
			t.Errorf("%s: tools/%s/go.mod pins %s, Tools says %s", tool.Name, tool.Name, got, tool.Pinned)
		}
	}
}

// TestFindOrInstallTakesPath: a tool on PATH is used as it is, nothing installed.
func TestFindOrInstallTakesPath(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "kind")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	path, how, err := findOrInstall(context.Background(), Tools[0])
	if err != nil || path != fake || !strings.Contains(how, "from PATH") {
		t.Errorf("findOrInstall = %s, %q, %v; want %s from PATH", path, how, err, fake)
	}
}

// TestFindOrInstallSaysWhatToInstall: with no tool on PATH and no go to install it with, the
// error names the tool, its version and what to do.
func TestFindOrInstallSaysWhatToInstall(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	_, _, err := findOrInstall(context.Background(), Tools[1])
	if err == nil ||
		!strings.Contains(err.Error(), "helm is not on PATH, and installing it from its pinned module failed") ||
		!strings.Contains(err.Error(), "install helm v3.22.0 and put it on PATH") {
		t.Errorf("findOrInstall without PATH or go: %v", err)
	}
}
