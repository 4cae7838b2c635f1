package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/testenv"
)

// repo makes a git repository with a tracked file, an ignored directory and tree-unchanged.sh
// in its scripts/, as the real one has them.
func repo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		testenv.Skip(t, "no git: "+err.Error())
	}
	dir := t.TempDir()
	script, err := os.ReadFile("../../scripts/tree-unchanged.sh")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"go.mod": "module example.com/root\n", ".gitignore": "/bin/\n", "scripts/tree-unchanged.sh": string(script)}
	for name, content := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init"},
	} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// unchanged runs `scripts/tree-unchanged.sh bash -c cmd` in dir and returns its exit code and output.
func unchanged(t *testing.T, dir, cmd string) (int, string) {
	t.Helper()
	c := exec.Command("bash", "scripts/tree-unchanged.sh", "bash", "-c", cmd)
	c.Dir = dir
	out, err := c.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

func TestTreeUnchanged(t *testing.T) {
	for _, tc := range []struct {
		name, setup, cmd string
		code             int
		names            string // in the output when the tree changed
	}{
		{"a command that changes nothing passes", "", "true", 0, ""},
		{"writing under an ignored directory passes", "", "mkdir -p bin && echo x > bin/tool", 0, ""},
		{"editing the root go.mod fails", "", "echo 'require example.com/x v1.0.0' >> go.mod", 3, "go.mod"},
		{"creating a file .gitignore does not cover fails", "", "echo x > go.sum", 3, "go.sum"},
		{"deleting a tracked file fails", "", "rm .gitignore", 3, ".gitignore"},
		{"a file already dirty and left as it was passes", "echo dirty >> go.mod", "true", 0, ""},
		{"a file already dirty and changed further fails", "echo dirty >> go.mod", "echo more >> go.mod", 3, "go.mod"},
		{"the command's own failure is kept", "", "exit 7", 7, ""},
		{"the command's own failure is kept when it also changed the tree", "", "echo x > new.txt; exit 5", 5, "new.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := repo(t)
			if tc.setup != "" {
				if out, err := exec.Command("bash", "-c", "cd "+dir+" && "+tc.setup).CombinedOutput(); err != nil {
					t.Fatalf("setup: %v\n%s", err, out)
				}
			}
			code, out := unchanged(t, dir, tc.cmd)
			if code != tc.code {
				t.Fatalf("exit code %d, want %d; output:\n%s", code, tc.code, out)
			}
			changed := strings.Contains(out, "changed the repository's tree")
			if changed != (tc.names != "") || (tc.names != "" && !strings.Contains(out, tc.names)) {
				t.Fatalf("output should report a change naming %q (or none when empty):\n%s", tc.names, out)
			}
		})
	}
}
