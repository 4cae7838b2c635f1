package kwok

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/cluster/clustertype"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwoktype"
	"github.com/tracegate/tracegate/framework/process"
	"github.com/tracegate/tracegate/framework/wait"
)

// The files of fixtures/kwok the controller step uses, relative to the config directory.
const (
	egConfigTemplate = "fixtures/kwok/envoy-gateway.yaml.tmpl" // the EnvoyGateway configuration
	egHelper         = "fixtures/kwok/envoy-gateway-in-ns.sh"  // /certs in a private mount namespace
	egModule         = "github.com/envoyproxy/gateway"
	egCRDs           = "charts/gateway-crds-helm/templates/generated"
	egReadyAddr      = "127.0.0.1:8081" // Envoy Gateway's health probe server, /readyz
)

// EnvoyGatewayCRDs returns Envoy Gateway's own CRDs from its module, which tools/envoy-gateway
// pins: the chart's generated files without their template lines (an if and an end around
// each), which are the only template lines in them.
func EnvoyGatewayCRDs(ctx context.Context, cfg *config.Config) ([]byte, string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", egModule)
	cmd.Dir = filepath.Join(cfg.Dir, "tools", "envoy-gateway")
	out, err := cmd.Output()
	if err != nil {
		return nil, "", fmt.Errorf("finding %s in the module cache (go mod download in %s): %w", egModule, cmd.Dir, err)
	}
	var mod struct{ Dir, Version string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		return nil, "", fmt.Errorf("go mod download -json %s: no module directory in %q", egModule, out)
	}
	files, err := filepath.Glob(filepath.Join(mod.Dir, egCRDs, "*.yaml"))
	if err != nil || len(files) == 0 {
		return nil, "", fmt.Errorf("%s %s has no CRDs in %s", egModule, mod.Version, egCRDs)
	}
	var b bytes.Buffer
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
	return b.Bytes(), mod.Version, nil
}

func installCRDs(ctx context.Context, s *cluster.State) error {
	text, version, err := EnvoyGatewayCRDs(ctx, s.Config)
	if err != nil {
		return err
	}
	objs, err := s.CreateManifest(ctx, text)
	if err != nil {
		return fmt.Errorf("Envoy Gateway %s CRDs: %w", version, err)
	}
	return s.AwaitReady(ctx, clustertype.WaitInstallReady, objs)
}

// egPaths are Envoy Gateway's directories in the work directory.
type egPaths struct {
	root                                        string
	home, newroot, serverCerts                  string
	configHome, dataHome, stateHome, runtimeDir string
	config, log                                 string
}

func pathsOf(work string) egPaths {
	root := filepath.Join(work, "envoy-gateway")
	return egPaths{
		root: root, home: filepath.Join(root, "home"), newroot: filepath.Join(root, "newroot"),
		serverCerts: filepath.Join(root, "certs"), // bound onto /certs in its mount namespace
		configHome:  filepath.Join(root, "config"), dataHome: filepath.Join(root, "data"),
		stateHome: filepath.Join(root, "state"), runtimeDir: filepath.Join(root, "runtime"),
		config: filepath.Join(root, "envoy-gateway.yaml"), log: filepath.Join(work, "envoy-gateway.log"),
	}
}

// certgen creates the controller's namespace, runs envoy-gateway certgen against the cluster
// (it writes the Secrets the Kubernetes provider reads) and writes the same certificates where
// Host mode reads them: the xDS server's for /certs, Envoy's client certificate under
// configHome (if that were empty, Host mode would make one with a CA of its own, which the xDS
// server would refuse).
func (src *source) certgen(ctx context.Context, s *cluster.State) error {
	p, ns := pathsOf(src.run.work), s.Config.Implementation.Cluster.Controller.Namespace
	c, err := s.Client()
	if err != nil {
		return err
	}
	if err := c.Resources().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating namespace %s: %w", ns, err)
	}
	for _, d := range []string{p.home, p.newroot, p.serverCerts, p.configHome, p.dataHome, p.stateHome, p.runtimeDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	// Without the topology injector, certgen needs no MutatingWebhookConfiguration.
	cmd := exec.CommandContext(ctx, cluster.Bin(s.Config, "envoy-gateway"), "certgen", "--disable-topology-injector")
	cmd.Env = append(inherited(), "HOME="+p.home, "KUBECONFIG="+s.Kubeconfig, "ENVOY_GATEWAY_NAMESPACE="+ns)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("envoy-gateway certgen: %w\n%s", err, out)
	}
	for secret, dir := range map[string]string{"envoy-gateway": p.serverCerts, "envoy": filepath.Join(p.configHome, "certs", "envoy")} {
		var sec corev1.Secret
		if err := c.Resources().Get(ctx, secret, ns, &sec); err != nil {
			return fmt.Errorf("Secret %s/%s that certgen writes: %w", ns, secret, err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for _, key := range []string{"ca.crt", "tls.crt", "tls.key"} {
			if len(sec.Data[key]) == 0 {
				return fmt.Errorf("Secret %s/%s has no %s", ns, secret, key)
			}
			if err := os.WriteFile(filepath.Join(dir, key), sec.Data[key], 0o600); err != nil {
				return err
			}
		}
	}
	return nil
}

// egConfigData is what fixtures/kwok/envoy-gateway.yaml.tmpl is rendered with.
type egConfigData struct {
	ConfigHome, DataHome, StateHome, RuntimeDir string
}

// EnvoyGatewayConfig renders the EnvoyGateway configuration for a work directory.
func EnvoyGatewayConfig(cfg *config.Config, work string) ([]byte, error) {
	p := pathsOf(work)
	return cluster.RenderFile(filepath.Join(cfg.Dir, egConfigTemplate),
		egConfigData{ConfigHome: p.configHome, DataHome: p.dataHome, StateHome: p.stateHome, RuntimeDir: p.runtimeDir})
}

// startEnvoyGateway starts envoy-gateway server in the network namespace and waits until it is
// ready.
func (src *source) startEnvoyGateway(ctx context.Context, s *cluster.State) error {
	r, cfg := src.run, s.Config
	p := pathsOf(r.work)
	text, err := EnvoyGatewayConfig(cfg, r.work)
	if err != nil {
		return fmt.Errorf("%s: %w", egConfigTemplate, err)
	}
	if err := os.WriteFile(p.config, text, 0o644); err != nil {
		return err
	}
	// Host mode runs <dataHome>/envoy-versions/<version>/bin/envoy for the version an
	// EnvoyProxy names (func-e would download it otherwise): the pinned bin/envoy-1.39.1.
	envoy, err := filepath.EvalSymlinks(cluster.Bin(cfg, EnvoyBin))
	if err != nil {
		return err
	}
	dest := filepath.Join(p.dataHome, "envoy-versions", r.envoyVersion, "bin", "envoy")
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	if err := os.Symlink(envoy, dest); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	env := append(inherited(), "HOME="+p.home, "KUBECONFIG="+s.Kubeconfig)
	// Envoy inherits Envoy Gateway's environment, so the variables the profile gives a local
	// gateway (TRACEGATE_ENV_ATTRIBUTE) are set here, where Kubernetes mode sets them on the
	// proxy's container.
	if l := cfg.Implementation.Local; l != nil {
		for k, v := range l.Env {
			env = append(env, k+"="+v)
		}
	}
	argv := []string{"unshare", "--mount", "--propagation", "private", "--", "sh", filepath.Join(cfg.Dir, egHelper), p.newroot, p.serverCerts,
		cluster.Bin(cfg, "envoy-gateway"), "server", "--config-path", p.config}
	r.eg, err = startController(r.ns, argv, env, p.log)
	if err != nil {
		return err
	}
	s.Extra["egLog"], s.Extra["egState"], s.Extra["egRuntime"] = p.log, p.stateHome, p.runtimeDir
	w, err := cfg.Wait(kwoktype.WaitControllerReady)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{DialContext: r.ns.DialContext, DisableKeepAlives: true}, Timeout: time.Second}
	start := time.Now()
	err = wait.For(ctx, w, "envoy-gateway to answer http://"+egReadyAddr+"/readyz in the network namespace", func(ctx context.Context) (bool, string, error) {
		if err := r.eg.exited(); err != nil {
			return false, "", err
		}
		rsp, err := client.Get("http://" + egReadyAddr + "/readyz")
		if err != nil {
			return false, err.Error(), nil
		}
		rsp.Body.Close()
		return rsp.StatusCode == http.StatusOK, rsp.Status, nil
	})
	if err != nil {
		return fmt.Errorf("%w\nlast lines of %s:\n%s", err, p.log, r.eg.tail())
	}
	fmt.Fprintf(s.Log, "tracegate: envoy-gateway (pid %d) ready in %s; its log: %s\n", r.eg.cmd.Process.Pid, time.Since(start).Round(10*time.Millisecond), p.log)
	return nil
}

// awaitListeners waits until every Gateway's Envoy accepts connections.
func (src *source) awaitListeners(ctx context.Context, s *cluster.State) error {
	r := src.run
	w, err := s.Config.Wait(kwoktype.WaitListenerReady)
	if err != nil {
		return err
	}
	for gw, port := range r.ports {
		addr := net.JoinHostPort(Address.String(), strconv.Itoa(port))
		err := wait.For(ctx, w, fmt.Sprintf("Envoy of Gateway %s/%s to accept connections on %s", s.Namespace, gw, addr), func(ctx context.Context) (bool, string, error) {
			if err := r.eg.exited(); err != nil {
				return false, "", err
			}
			dctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			c, err := r.ns.DialContext(dctx, "tcp", addr)
			if err != nil {
				return false, err.Error(), nil
			}
			c.Close()
			return true, "", nil
		})
		if err != nil {
			return fmt.Errorf("%w\nlast lines of envoy-gateway's log %s:\n%s", err, pathsOf(r.work).log, r.eg.tail())
		}
	}
	return nil
}

// inherited is the part of the suite's environment a local gateway gets (process.Hermetic).
func inherited() []string {
	kept, _ := process.Hermetic(os.Environ())
	return kept
}
