package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// engine runs `scripts/kind-here/engine.sh need` in a copy of its scripts, with a docker that
// never answers and a dockerd and an apt-get that record being run, under env (added to this
// process's, CI removed). It returns the exit code, the output, and what was run.
func engine(t *testing.T, env ...string) (int, string, string) {
	t.Helper()
	dir, bin := t.TempDir(), t.TempDir()
	for _, f := range []string{"scripts/asked.sh", "scripts/kind-here/engine.sh"} {
		data, err := os.ReadFile(filepath.Join("../..", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ran := filepath.Join(bin, "ran")
	fakes := map[string]string{
		"docker":  "echo \"docker $*\" >>" + ran + "\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n",
		"dockerd": "echo dockerd >>" + ran + "\n",
		"apt-get": "echo apt-get >>" + ran + "\n",
	}
	for name, script := range fakes {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", "scripts/kind-here/engine.sh", "need")
	cmd.Dir = dir
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "CI=") && !strings.HasPrefix(e, "KIND_") && !strings.HasPrefix(e, "PATH=") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	cmd.Env = append(append(cmd.Env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH")), env...)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	record, _ := os.ReadFile(ran)
	return code, string(out), string(record)
}

// TestEngineOnlyWhenAsked: outside CI, with no engine answering, make e2e-kind-here's engine
// step starts nothing and installs nothing: it says what it would do and how to ask for it.
func TestEngineOnlyWhenAsked(t *testing.T) {
	code, out, ran := engine(t)
	if code != 1 || !strings.Contains(out, "KIND_HERE_ENGINE=1") || !strings.Contains(out, "dockerd --config-file") {
		t.Errorf("exit %d, output:\n%s\nwant exit 1 naming KIND_HERE_ENGINE=1 and what it would start", code, out)
	}
	if strings.Contains(ran, "dockerd") || strings.Contains(ran, "apt-get") {
		t.Errorf("ran %q without being asked", ran)
	}
	for _, ci := range []string{"CI=", "CI=false", "CI=0"} {
		if code, _, ran := engine(t, ci); code != 1 || strings.Contains(ran, "dockerd") {
			t.Errorf("%s: exit %d, ran %q; want a refusal", ci, code, ran)
		}
	}
}

// TestEngineRefusesPodman: kind on Podman is refused before any docker command, never answered
// by installing Docker beside it.
func TestEngineRefusesPodman(t *testing.T) {
	code, out, ran := engine(t, "KIND_EXPERIMENTAL_PROVIDER=podman", "CI=true")
	if code != 1 || !strings.Contains(out, "KIND_EXPERIMENTAL_PROVIDER=podman") || !strings.Contains(out, "never installs Docker") {
		t.Errorf("exit %d, output:\n%s\nwant a refusal of Podman that says why", code, out)
	}
	if ran != "" {
		t.Errorf("ran %q before refusing", ran)
	}
}
