package local

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/tracegate/tracegate/framework/config"
)

// Build runs the implementation's build command, if it has one, from the config file's
// directory, then checks that the gateway's program exists. The suite calls it once, before
// any process starts a gateway; progress gets a line per build with its elapsed time.
func Build(ctx context.Context, cfg *config.Config, progress io.Writer) error {
	if profile := cfg.Implementation.Local; profile != nil {
		if err := runBuild(ctx, cfg.Implementation.Dir, cfg.Implementation.Name, profile.Build, progress); err != nil {
			return err
		}
		if err := checkProgram(cfg.Implementation.Dir, profile.Command[0]); err != nil {
			return fmt.Errorf("%s: implementations.%s.local.command[0]: %w", cfg.ImplementationFile(), cfg.Implementation.Name, err)
		}
	}
	if c := cfg.Environment.Collector; c != nil {
		return runBuild(ctx, cfg.Dir, "the collector", c.Build, progress)
	}
	return nil
}

func runBuild(ctx context.Context, dir, what string, argv []string, progress io.Writer) error {
	if len(argv) == 0 {
		return nil
	}
	start := time.Now()
	fmt.Fprintf(progress, "tracegate: building %s (%s) ...\n", what, strings.Join(argv, " "))
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s with %q failed after %s: %w\n%s", what, strings.Join(argv, " "), since(start), err, out)
	}
	fmt.Fprintf(progress, "tracegate: built %s in %s\n", what, since(start))
	return nil
}

// checkProgram fails when the program, after its build, is not there to run.
func checkProgram(dir, program string) error {
	if !strings.Contains(program, "/") {
		if _, err := exec.LookPath(program); err != nil {
			return fmt.Errorf("%q is not on PATH (%v)", program, err)
		}
		return nil
	}
	path := program
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file after the build (%v)", path, err)
	}
	return nil
}

func since(t time.Time) time.Duration { return time.Since(t).Round(100 * time.Millisecond) }
