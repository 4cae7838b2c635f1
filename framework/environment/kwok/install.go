package kwok

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwokconfig"
)

// ModuleCRDs returns the CRDs a kwok profile reads from a Go module that one of the
// repository's tool modules pins: the files matching its globs, without their lines that start
// with "{{" (a chart's template lines around each CRD).
func ModuleCRDs(ctx context.Context, c *kwokconfig.CRDs) ([]byte, string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", c.Module)
	cmd.Dir = c.ModuleDir
	out, err := cmd.Output()
	if err != nil {
		return nil, "", fmt.Errorf("finding %s in the module cache (go mod download in %s): %w", c.Module, cmd.Dir, err)
	}
	var mod struct{ Dir, Version string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		return nil, "", fmt.Errorf("go mod download -json %s: no module directory in %q", c.Module, out)
	}
	var b bytes.Buffer
	for _, glob := range c.Files {
		files, err := filepath.Glob(filepath.Join(mod.Dir, glob))
		if err != nil || len(files) == 0 {
			return nil, "", fmt.Errorf("%s %s has no file matching %s", c.Module, mod.Version, glob)
		}
		for _, f := range files {
			text, err := os.ReadFile(f)
			if err != nil {
				return nil, "", err
			}
			for line := range strings.Lines(string(text)) {
				if !strings.HasPrefix(line, "{{") {
					b.WriteString(line)
				}
			}
			b.WriteString("\n---\n")
		}
	}
	return b.Bytes(), c.Module + " " + mod.Version, nil
}

func installCRDs(ctx context.Context, s *cluster.State) error {
	text, version, err := ModuleCRDs(ctx, profile(s.Config).CRDs)
	if err != nil {
		return err
	}
	objs, err := s.CreateManifest(ctx, text)
	if err != nil {
		return fmt.Errorf("the CRDs of %s: %w", version, err)
	}
	return s.AwaitReady(ctx, clusterconfig.WaitInstallReady, objs)
}

// gateway is a Gateway of the fixtures as the runner gets it.
func (r *run) gateway(s *cluster.State, name string) Gateway {
	cfg := r.cfg
	gw := Gateway{
		Name:      name,
		Namespace: s.Namespace,
		Index:     slices.Index(gatewayOrder(cfg), name),
		Port:      r.ports[name],
		Ports:     make([]int, 10),
	}
	gw.ProxyPort = gw.Port + profile(cfg).ListenerPortOffset
	for v, g := range cfg.Implementation.Cluster.Variants {
		if g == name {
			gw.Variant = v
		}
	}
	for i := range gw.Ports {
		gw.Ports[i] = firstProcessPort + 10*gw.Index + i
	}
	return gw
}

// firstProcessPort is the first of the ten ports of 127.0.0.1 each Gateway's processes get in
// the network namespace (Gateway.Ports), clear of the listener ports and of what Envoy Gateway
// binds.
const firstProcessPort = 20000

// host is the Runner's view of the run.
func (src *source) host(s *cluster.State) *Host { return &Host{State: s, run: src.run} }

// setup creates the controller's namespace, when the profile names one, and runs the runner's
// Setup.
func (src *source) setup(ctx context.Context, s *cluster.State) error {
	runner, err := runnerOf(s.Config)
	if err != nil {
		return err
	}
	if ns := s.Config.Implementation.Cluster.Controller.Namespace; ns != "" {
		c, err := s.Client()
		if err != nil {
			return err
		}
		if err := c.Resources().Create(ctx, &corev1.Namespace{
			ObjectMeta: metav1.ObjectMeta{Name: ns},
		}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating namespace %s: %w", ns, err)
		}
	}
	return runner.Setup(ctx, src.host(s))
}

// WriteSecretFiles writes keys of a Secret (namespace/name) as files into dir.
func (h *Host) WriteSecretFiles(ctx context.Context, secret, dir string, keys ...string) error {
	c, err := h.State.Client()
	if err != nil {
		return err
	}
	ns, name, _ := strings.Cut(secret, "/")
	var sec corev1.Secret
	if err := c.Resources().Get(ctx, name, ns, &sec); err != nil {
		return fmt.Errorf("Secret %s: %w", secret, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, key := range keys {
		if len(sec.Data[key]) == 0 {
			return fmt.Errorf("Secret %s has no %s; it has %s", secret, key, strings.Join(slices.Sorted(maps.Keys(sec.Data)), ", "))
		}
		if err := os.WriteFile(filepath.Join(dir, key), sec.Data[key], 0o600); err != nil {
			return err
		}
	}
	return nil
}

// startController starts the one controller of the run.
func (src *source) startController(ctx context.Context, s *cluster.State) error {
	runner, err := runnerOf(s.Config)
	if err != nil {
		return err
	}
	return runner.StartController(ctx, src.host(s))
}

// startPerGateway starts what serves each Gateway, in Gateway order.
func (src *source) startPerGateway(ctx context.Context, s *cluster.State) error {
	runner, err := runnerOf(s.Config)
	if err != nil {
		return err
	}
	for _, gw := range gatewayOrder(s.Config) {
		if err := runner.StartGateway(ctx, src.host(s), src.run.gateway(s, gw)); err != nil {
			return err
		}
	}
	return nil
}
