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
	"github.com/tracegate/tracegate/framework/environment/cluster/clustertype"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwoktype"
)

// ModuleCRDs returns the CRDs a kwok profile reads from a Go module that one of the
// repository's tool modules pins: the files matching its globs, without their lines that start
// with "{{" (a chart's template lines around each CRD).
func ModuleCRDs(ctx context.Context, c *kwoktype.CRDs) ([]byte, string, error) {
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
	return s.AwaitReady(ctx, clustertype.WaitInstallReady, objs)
}

// data is what the profile's templates get for the process name, in its work directory; gw is
// the Gateway of a per-Gateway process, or "".
func (r *run) data(s *cluster.State, name, gw string) kwoktype.Data {
	cfg, k := r.cfg, profile(r.cfg)
	d := kwoktype.Data{
		Dir: cfg.Implementation.Dir, Bin: filepath.Join(cfg.Dir, "bin"), Work: filepath.Join(r.work, strings.ReplaceAll(name, " ", "-")),
		Kubeconfig: s.Kubeconfig, Address: Address.String(), ControllerNamespace: cfg.Implementation.Cluster.Controller.Namespace,
		EnvoyBin: cluster.Bin(cfg, k.Envoy.Bin()), EnvoyVersion: r.envoyVersion, Ports: make([]int, 10),
		ServiceName: cfg.Implementation.ServiceName, ExportDelayMillis: cfg.Environment.ExportDelay.Milliseconds(),
	}
	if gw == "" {
		return d
	}
	gws := gatewayOrder(cfg)
	d.Namespace, d.Gateway, d.Index = s.Namespace, gw, slices.Index(gws, gw)
	d.Port = r.ports[gw]
	d.ProxyPort = d.Port + k.ListenerPortOffset
	for v, g := range cfg.Implementation.Cluster.Variants {
		if g == gw {
			d.Variant = v
		}
	}
	for i := range d.Ports {
		d.Ports[i] = firstProcessPort + 10*d.Index + i
	}
	return d
}

// firstProcessPort is the first of the ten ports of 127.0.0.1 each Gateway's processes get in
// the network namespace (kwoktype.Data.Ports), clear of the listener ports and of what Envoy Gateway
// binds.
const firstProcessPort = 20000

// setup creates the controller's namespace, runs the profile's setup commands and writes the
// Secrets' keys it names into files.
func (src *source) setup(ctx context.Context, s *cluster.State) error {
	r, k := src.run, profile(s.Config)
	data := r.data(s, "controller", "")
	if ns := data.ControllerNamespace; ns != "" {
		c, err := s.Client()
		if err != nil {
			return err
		}
		if err := c.Resources().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating namespace %s: %w", ns, err)
		}
	}
	if err := os.MkdirAll(filepath.Join(data.Work, "home"), 0o755); err != nil {
		return err
	}
	for i, c := range k.Setup {
		if err := src.runCommand(ctx, fmt.Sprintf("kwok.setup[%d]", i), c.Command, c.Env, data); err != nil {
			return err
		}
	}
	for i, sf := range k.SecretFiles {
		if err := writeSecretFiles(ctx, s, sf, data, i); err != nil {
			return err
		}
	}
	return nil
}

// writeSecretFiles writes the keys of a Secret into files of a directory.
func writeSecretFiles(ctx context.Context, s *cluster.State, sf kwoktype.SecretFiles, data kwoktype.Data, i int) error {
	dir, err := render(fmt.Sprintf("kwok.secretFiles[%d].dir", i), sf.Dir, data)
	if err != nil {
		return err
	}
	c, err := s.Client()
	if err != nil {
		return err
	}
	ns, name, _ := strings.Cut(sf.Secret, "/")
	var sec corev1.Secret
	if err := c.Resources().Get(ctx, name, ns, &sec); err != nil {
		return fmt.Errorf("Secret %s (kwok.secretFiles[%d]): %w", sf.Secret, i, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, key := range sf.Keys {
		if len(sec.Data[key]) == 0 {
			return fmt.Errorf("Secret %s has no %s (kwok.secretFiles[%d]); it has %s", sf.Secret, key, i, strings.Join(slices.Sorted(maps.Keys(sec.Data)), ", "))
		}
		if err := os.WriteFile(filepath.Join(dir, key), sec.Data[key], 0o600); err != nil {
			return err
		}
	}
	return nil
}

// startController starts the one controller of the run.
func (src *source) startController(ctx context.Context, s *cluster.State) error {
	k := profile(s.Config)
	_, err := src.startProcess(ctx, s, "controller", "kwok.controller", &k.Controller, src.run.data(s, "controller", ""))
	return err
}

// startPerGateway starts, for each Gateway, its controller (when one serves each) and then its
// proxy (when the environment starts them), in Gateway order.
func (src *source) startPerGateway(ctx context.Context, s *cluster.State) error {
	k := profile(s.Config)
	for _, gw := range gatewayOrder(s.Config) {
		if k.Controller.PerGateway {
			name := "controller " + gw
			if _, err := src.startProcess(ctx, s, name, "kwok.controller", &k.Controller, src.run.data(s, name, gw)); err != nil {
				return err
			}
		}
		if k.Proxy != nil {
			name := "proxy " + gw
			if _, err := src.startProcess(ctx, s, name, "kwok.proxy", k.Proxy, src.run.data(s, name, gw)); err != nil {
				return err
			}
		}
	}
	return nil
}
