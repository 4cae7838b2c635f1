package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSkip runs a test that skips, in a child process: without CI it is skipped and listed, with
// CI=true it fails.
func TestSkip(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") == "1" {
		Skip(t, "this machine has no frobnicator")
		return
	}
	list := filepath.Join(t.TempDir(), "skipped.txt")
	run := func(ci string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSkip$", "-test.v")
		cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", "CI="+ci, ListVariable+"="+list)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("")
	if err != nil || !strings.Contains(out, "--- SKIP: TestSkip") {
		t.Errorf("without CI: %v\n%s", err, out)
	}
	if data, _ := os.ReadFile(list); string(data) != "go test TestSkip: this machine has no frobnicator\n" {
		t.Errorf("the list holds %q", data)
	}
	out, err = run("true")
	if err == nil || !strings.Contains(out, "CI=true, so this is a failure, not a skip") {
		t.Errorf("under CI=true: %v\n%s", err, out)
	}
}
