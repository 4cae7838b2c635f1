package kind

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
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

// background is work a step starts and a later step waits for, so that what does not depend
// on the steps between them runs beside them.
type background struct {
	done chan struct{}
	err  error
}

func (b *background) start(f func() error) {
	b.done = make(chan struct{})
	go func() {
		defer close(b.done)
		b.err = f()
	}()
}

func (b *background) wait(ctx context.Context) error {
	if b.done == nil {
		return errors.New("waited for work no step started")
	}
	select {
	case <-b.done:
		return b.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// images are the kind environment's image steps: the echo image is built while kind and the
// cluster start, and the images are loaded while the CRDs go in.
type images struct{ echo, load background }

// startEcho starts building the echo upstream's image.
func (im *images) startEcho(ctx context.Context, s *cluster.State) error {
	im.echo.start(func() error { return buildEcho(ctx, s.Config, s.Log) })
	return nil
}

// startLoad starts loading the echo upstream's image, once built, with the implementation's
// images of a local-build run, into the cluster's nodes: the fixtures never pull them
// (imagePullPolicy Never). kind load skips a node that has an image already.
func (im *images) startLoad(ctx context.Context, s *cluster.State) error {
	im.load.start(func() error {
		if err := im.echo.wait(ctx); err != nil {
			return err
		}
		start := time.Now()
		k := kindconfig.Settings(s.Config)
		args := append([]string{"load", "docker-image", "--name", k.Name}, k.LoadImages...)
		cmd := exec.CommandContext(ctx, cluster.Bin(s.Config, "kind"), args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, out)
		}
		fmt.Fprintf(
			s.Log,
			"tracegate: loaded %s into kind cluster %s in %s\n",
			strings.Join(k.LoadImages, ", "),
			k.Name,
			time.Since(start).Round(time.Millisecond),
		)
		return nil
	})
	return nil
}

func (im *images) awaitLoad(ctx context.Context, _ *cluster.State) error { return im.load.wait(ctx) }

// buildEcho builds cmd/echo and, unless the image kindconfig.EchoImage holds that binary
// already (its label tracegate.recipe is the binary's hash), the image from it.
func buildEcho(ctx context.Context, cfg *config.Config, log io.Writer) error {
	dir, err := os.MkdirTemp("", "tracegate-echo-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "echo")
	if err := run(ctx, cfg, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "github.com/tracegate/tracegate/cmd/echo"); err != nil {
		return err
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(append(data, echoDockerfile...))
	recipe := hex.EncodeToString(sum[:8])
	out, _ := exec.CommandContext(
		ctx,
		"docker",
		"image",
		"inspect",
		"--format",
		`{{index .Config.Labels "tracegate.recipe"}}`,
		kindconfig.EchoImage,
	).Output()
	if strings.TrimSpace(string(out)) == recipe {
		fmt.Fprintf(log, "tracegate: %s holds this cmd/echo already (tracegate.recipe %s), not rebuilt\n", kindconfig.EchoImage, recipe)
		return nil
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(echoDockerfile), 0o644); err != nil {
		return err
	}
	return run(ctx, cfg, "docker", "build", "-q", "--label", "tracegate.recipe="+recipe, "-t", kindconfig.EchoImage, dir)
}

// run runs one command of the echo image's build.
func run(ctx context.Context, cfg *config.Config, argv ...string) error {
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
		return fmt.Errorf(
			"E2E_KIND_HERE: not on this machine: %s; make kind-here-images builds them (make e2e-kind-here does it first)",
			strings.Join(missing, ", "),
		)
	}
	return nil
}

// Overlay implements cluster.Overlayer: the implementation's here overlay (E2E_KIND_HERE), which
// makes its proxies run the images built here; "" (none) otherwise.
func (source) Overlay(cfg *config.Config) string { return kindconfig.Settings(cfg).Overlay }

// OverlayValues implements cluster.Overlayer: the local-build overlay needs only the fixtures' data.
func (source) OverlayValues(*cluster.State) (map[string]any, error) { return nil, nil }
