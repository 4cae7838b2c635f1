package harness

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tracegate/tracegate/framework/environment"
)

// collectingProvider is a Provider whose Provision failed and that can still say what its
// environment showed.
type collectingProvider struct {
	environment.Provider
	collected string
}

func (p *collectingProvider) CollectSetupArtifacts(_ context.Context, dir string) error {
	p.collected = dir
	return os.WriteFile(filepath.Join(dir, "objects.yaml"), []byte("# a Gateway, not Programmed\n"), 0o644)
}

// TestSetupArtifacts: a failed setup leaves setup.txt with the error and what the provider
// collects, before anything is torn down (issue 15, problem 4).
func TestSetupArtifacts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "suite-setup")
	p := &collectingProvider{}
	if err := writeSetupArtifacts(context.Background(), dir, "step 15 [fixtures] wait gatewayProgrammed: ...", p, nil); err != nil {
		t.Fatal(err)
	}
	if p.collected != dir {
		t.Errorf("the provider collected into %q, want %q", p.collected, dir)
	}
	for _, f := range []string{"setup.txt", "objects.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}
	if text, _ := os.ReadFile(filepath.Join(dir, "setup.txt")); string(text) != "step 15 [fixtures] wait gatewayProgrammed: ...\n" {
		t.Errorf("setup.txt: %q", text)
	}
}
