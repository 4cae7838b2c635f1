package local

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAGatewayThatFailsAtStartKeepsItsEvidence: a gateway whose command exits at start is one
// error naming the command, its exit status, its output and a rendered config that still
// exists after the environment has stopped; the artifacts hold its output and config, and the
// caller's own Stop (the harness's cleanup) is no second error (issue 22).
func TestAGatewayThatFailsAtStartKeepsItsEvidence(t *testing.T) {
	cfg := startConfigWith(t, "listen {{.GatewayPort}}\n", "sh", "-c", "echo 'bad bootstrap: no such field'; exit 1", "{{.ConfigFile}}")
	env, err := Start(context.Background(), cfg, io.Discard)
	if err == nil {
		t.Fatal("Start succeeded; want an error")
	}
	if env == nil {
		t.Fatal("Start returned no environment with its error: nothing to collect artifacts from")
	}
	config := filepath.Join(env.workDir, "gateway", "gw.conf")
	for _, want := range []string{
		"exit status 1",
		"bad bootstrap: no such field",
		"command: sh -c echo 'bad bootstrap",
		"its rendered config (kept): " + config,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, serr := os.Stat(config); serr != nil {
		t.Errorf("the rendered config the error names is gone: %v", serr)
	}
	if serr := env.Stop(context.Background()); serr != nil {
		t.Errorf("the caller's Stop after a failed Start: %v; want nil, it was stopped once already", serr)
	}
	dir := t.TempDir()
	if cerr := env.CollectArtifacts(dir); cerr != nil {
		t.Fatalf("CollectArtifacts: %v", cerr)
	}
	if out, _ := os.ReadFile(filepath.Join(dir, "gateway.log")); !strings.Contains(string(out), "bad bootstrap") {
		t.Errorf("gateway.log in the artifacts: %q; want the gateway's output", out)
	}
	if c, _ := os.ReadFile(filepath.Join(dir, "gateway-config")); !strings.HasPrefix(string(c), "listen ") {
		t.Errorf("gateway-config in the artifacts: %q; want the rendered config", c)
	}
}

// TestAnInterruptedStartKeepsNothing: a start cut short by the run's end (Ctrl-C, a setup
// timeout) is no gateway failure: its work directory goes with the environment.
func TestAnInterruptedStartKeepsNothing(t *testing.T) {
	cfg := startConfig(t, "sleep", "30")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	env, err := Start(ctx, cfg, io.Discard)
	if err == nil {
		t.Fatal("Start succeeded; want an error")
	}
	if env == nil {
		t.Fatal("Start returned no environment with its error")
	}
	if _, serr := os.Stat(env.workDir); !os.IsNotExist(serr) {
		t.Errorf("the work directory of an interrupted start is still there: %v", serr)
	}
}
