package kind

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
)

// inRepository reports whether the run has tracegate's tools/ modules (the repository, or the
// door with conformance.WithToolsDir); the door's embedded files alone have none.
func inRepository(cfg *config.Config) bool {
	_, err := os.Stat(filepath.Join(cfg.Dir, "tools", "kind", "go.mod"))
	return err == nil
}

// toolsFromOutside gives a run without tools/ its kind and Helm, as e2e-framework's providers
// find theirs: from PATH, else installed from the pinned module (go install <package>@<version>
// into the user's cache, once), linked into the run's bin/ where the other steps look. It fails
// with what to install when neither works.
func toolsFromOutside(ctx context.Context, s *cluster.State) error {
	bin := filepath.Dir(cluster.Bin(s.Config, "kind"))
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	for _, t := range Tools {
		path, how, err := findOrInstall(ctx, t)
		if err != nil {
			return err
		}
		fmt.Fprintf(s.Log, "tracegate: %s: %s (%s)\n", t.Name, path, how)
		link := filepath.Join(bin, t.Name)
		_ = os.Remove(link)
		if err := os.Symlink(path, link); err != nil {
			return err
		}
	}
	return os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// findOrInstall is t from PATH, or from the user's cache, installed there from its module first.
func findOrInstall(ctx context.Context, t Tool) (path, how string, err error) {
	if path, err := exec.LookPath(t.Name); err == nil {
		return path, "from PATH; tracegate pins " + t.Pinned, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", "", fmt.Errorf(
			"%s is not on PATH, and there is no cache directory to install it into (%w): install %s %s and put it on PATH",
			t.Name,
			err,
			t.Name,
			t.Pinned,
		)
	}
	dir := filepath.Join(cache, "tracegate", t.Name+"-"+t.Pinned)
	path = filepath.Join(dir, t.Name)
	if _, err := os.Stat(path); err == nil {
		return path, "installed before from " + t.Package + "@" + t.Pinned, nil
	}
	cmd := exec.CommandContext(ctx, "go", "install", t.Package+"@"+t.Pinned)
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("%s is not on PATH, and installing it from its pinned module failed (GOBIN=%s %s: %w): "+
			"install %s %s and put it on PATH\n%s",
			t.Name, dir, strings.Join(cmd.Args, " "), err, t.Name, t.Pinned, out)
	}
	return path, "installed now from " + t.Package + "@" + t.Pinned, nil
}
