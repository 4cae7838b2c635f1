package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/tracegate/tracegate/framework/debug"
	"github.com/tracegate/tracegate/framework/environment"
)

// setupCollector is a Provider that can say what its environment showed when Provision failed
// (cluster.Provider).
type setupCollector interface {
	CollectSetupArtifacts(ctx context.Context, dir string) error
}

// setupFailed writes the artifacts of a failed suite setup (Provision on process 1, or Connect
// on any process), which are the failures a cluster run meets most: a Gateway that never
// becomes Programmed, a proxy that cannot be reached. In debug mode it prints them and pauses
// with the environment still up, as a failed spec does. Then it fails the setup.
func (h *Harness) setupFailed(ctx context.Context, p environment.Provider, env environment.Environment, err error) {
	msg := err.Error()
	if ctx.Err() != nil { // interrupted (Ctrl-C) or timed out: no bundle, no pause, straight to teardown
		Fail(msg)
	}
	dir := debug.Dir(h.Config.Debug.ArtifactsDir, "suite setup", time.Now())
	if werr := writeSetupArtifacts(ctx, dir, msg, p, env); werr != nil {
		msg += fmt.Sprintf("\nsetup artifacts in %s (some could not be collected: %v)", dir, werr)
	} else {
		msg += "\nsetup artifacts in " + dir
	}
	if h.Config.Debug.Enabled {
		out, tty, closeConsole := debug.Console()
		commands, _ := os.ReadFile(filepath.Join(dir, "cluster", "commands.txt"))
		resumed := debug.Pauser{
			Enabled: true, Timeout: h.Config.Debug.PauseTimeout,
			Out: out, Terminal: tty, MarkerDir: h.Config.Debug.ArtifactsDir,
		}.Pause(ctx, fmt.Sprintf("=== tracegate: the suite setup failed ===\n%s\n%s", msg, commands))
		fmt.Fprintf(out, ">>> resumed by %s\n", resumed)
		closeConsole()
	}
	Fail(msg)
}

// writeSetupArtifacts writes setup.txt with the error and lets the provider (or, after a
// failed Connect, the environment) add what it can.
func writeSetupArtifacts(ctx context.Context, dir, msg string, p environment.Provider, env environment.Environment) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "setup.txt"), []byte(msg+"\n"), 0o644); err != nil {
		return err
	}
	if c, ok := p.(setupCollector); ok {
		return c.CollectSetupArtifacts(ctx, dir)
	}
	if env != nil {
		return env.CollectArtifacts(dir)
	}
	return nil
}
