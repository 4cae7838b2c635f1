package kind

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
)

// echoDockerfile builds the echo upstream's image from the binary beside it, with no base
// image: nothing is pulled, so it builds on a machine without a registry too.
const echoDockerfile = "FROM scratch\nCOPY echo /echo\nUSER 65532\nENTRYPOINT [\"/echo\"]\n"

// loadImages builds the echo upstream's image and loads it, with the implementation's images
// of a local-build run, into the cluster's nodes: the fixtures never pull them (imagePullPolicy Never).
func loadImages(ctx context.Context, s *cluster.State) error {
	start := time.Now()
	if err := buildEcho(ctx, s.Config); err != nil {
		return err
	}
	k := kindconfig.Settings(s.Config)
	args := append([]string{"load", "docker-image", "--name", k.Name}, k.LoadImages...)
	cmd := exec.CommandContext(ctx, cluster.Bin(s.Config, "kind"), args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	fmt.Fprintf(s.Log, "tracegate: loaded %s into kind cluster %s in %s\n", strings.Join(k.LoadImages, ", "), k.Name, time.Since(start).Round(time.Millisecond))
	return nil
}

// buildEcho builds cmd/echo into a temporary directory and the image kindconfig.EchoImage from it.
func buildEcho(ctx context.Context, cfg *config.Config) error {
	dir, err := os.MkdirTemp("", "tracegate-echo-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	steps := [][]string{
		{"go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "echo"), "github.com/tracegate/tracegate/cmd/echo"},
		{"docker", "build", "-q", "-t", kindconfig.EchoImage, dir},
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(echoDockerfile), 0o644); err != nil {
		return err
	}
	for _, argv := range steps {
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		// The repository's module; through the door, the caller's, which requires tracegate.
		if inRepository(cfg) {
			cmd.Dir = cfg.Dir
		}
		// CGO off: the image has no C library. The classic builder: FROM scratch needs no BuildKit.
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "DOCKER_BUILDKIT=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building the echo image: %s: %w\n%s", strings.Join(argv, " "), err, out)
		}
	}
	return nil
}

// CheckLocalBuild stops a local-build run (E2E_KIND_HERE) before any cluster exists when what make
// kind-here-images builds is missing: the node image, the implementation's images, its charts.
func CheckLocalBuild(ctx context.Context, s *cluster.State) error {
	k := kindconfig.Settings(s.Config)
	var missing []string
	for _, img := range append([]string{k.NodeImage}, k.LoadImages...) {
		if img == kindconfig.EchoImage { // built by the run itself
			continue
		}
		if err := exec.CommandContext(ctx, "docker", "image", "inspect", img).Run(); err != nil {
			missing = append(missing, "image "+img)
		}
	}
	for _, h := range s.Config.Implementation.Cluster.Helm {
		if strings.HasPrefix(h.Chart, "/") {
			if _, err := os.Stat(h.Chart); err != nil {
				missing = append(missing, "chart "+h.Chart)
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("E2E_KIND_HERE: not on this machine: %s; make kind-here-images builds them (make e2e-kind-here does it first)", strings.Join(missing, ", "))
	}
	return nil
}

// Overlay implements cluster.Overlayer: the implementation's here overlay (E2E_KIND_HERE), which
// makes its proxies run the images built here; "" (none) otherwise.
func (source) Overlay(cfg *config.Config) string { return kindconfig.Settings(cfg).Overlay }

// OverlayValues implements cluster.Overlayer: the local-build overlay needs only the fixtures' data.
func (source) OverlayValues(*cluster.State) (map[string]any, error) { return nil, nil }
