// Package kind is the kind environment: a kind cluster created or reused with
// sigs.k8s.io/e2e-framework's kind provider, Gateway API CRDs and the implementation installed
// into it, and the suite's receiver on the kind network's gateway address.
package kind

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
)

// New returns the provider of a kind environment.
func New(cfg *config.Config, log io.Writer) *cluster.Provider {
	return &cluster.Provider{Config: cfg, Log: log, Source: source{}}
}

type source struct{}

// Tools are the CLIs the kind environment builds into bin/, each from its own module under
// tools/ that pins its version; Pinned repeats that version for a run without tools/ (the
// door), which takes the tool from PATH or installs it from its module (tools.go).
var Tools = []Tool{
	{Name: "kind", Module: "sigs.k8s.io/kind", Package: "sigs.k8s.io/kind", Pinned: "v0.33.0"},
	{Name: "helm", Module: "helm.sh/helm/v3", Package: "helm.sh/helm/v3/cmd/helm", Pinned: "v3.22.0"},
}

// Tool is a CLI built from tools/<Name>/go.mod.
type Tool struct{ Name, Module, Package, Pinned string }

// Version reads the pinned version from tools/<name>/go.mod; Pinned without tools/.
func (t Tool) Version(cfg *config.Config) string {
	data, err := os.ReadFile(filepath.Join(cfg.Dir, "tools", t.Name, "go.mod"))
	if errors.Is(err, fs.ErrNotExist) {
		return t.Pinned
	}
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(t.Module) + `\s+(v\S+)`).FindSubmatch(data)
	if m == nil {
		return "(not pinned in tools/" + t.Name + "/go.mod)"
	}
	return string(m[1])
}

// Steps implements cluster.Source: the profile's Helm charts install the implementation.
func (source) Steps(cfg *config.Config) cluster.SourceSteps {
	k := kindconfig.Settings(cfg)
	im := &images{}
	w, _ := cfg.Wait(kindconfig.WaitDockerReachable)
	var tools []string
	for _, t := range Tools {
		tools = append(tools, fmt.Sprintf("bin/%s (%s %s from tools/%s)", t.Name, t.Name, t.Version(cfg), t.Name))
	}
	onMismatch := "fail"
	if k.RecreateOnMismatch {
		onMismatch = "fail; recreateOnMismatch: delete and recreate it"
	}
	// The cluster step creates the cluster and marks it tracegate's (a marker of its node
	// containers), reuses one tracegate created and a run kept, recreates one a killed run left
	// or from another image, and reuses one it did not create, never deleting it
	// (docs/kubernetes.md#kind).
	steps := []cluster.Step{
		cluster.NewStep(
			cluster.PhasePreflight,
			fmt.Sprintf("check that the Docker engine answers (wait %s, %s)", kindconfig.WaitDockerReachable, w.Timeout),
			CheckDocker,
		),
		cluster.NewStep(cluster.PhaseTools, fmt.Sprintf("build the echo image %s in the background unless current (its binary's hash)",
			kindconfig.EchoImage), im.startEcho),
		cluster.NewStep(cluster.PhaseTools, fmt.Sprintf("build %s unless current; bin/ first on PATH", strings.Join(tools, " and ")), buildTools),
		cluster.NewStep(cluster.PhaseCluster, fmt.Sprintf("create kind cluster %s from %s (image %s), or reuse it by its marker in %s; "+
			"not Kubernetes %s: %s",
			k.Name, rel(cfg, k.Config), k.NodeImage, markerDir(), k.KubernetesVersion, onMismatch), createOrReuse),
		cluster.NewStep(cluster.PhaseCluster, fmt.Sprintf("wait %s: every node Ready", clusterconfig.WaitClusterReady), awaitCluster),
		cluster.NewStep(cluster.PhaseCluster, fmt.Sprintf("load %s into the nodes in the background, once the echo image is built",
			strings.Join(k.LoadImages, " ")), im.startLoad),
	}
	if k.LocalBuild {
		steps = slices.Insert(steps, 1, cluster.NewStep(cluster.PhasePreflight,
			"check that make kind-here-images built the node image, images and charts", CheckLocalBuild))
	}
	return cluster.SourceSteps{Cluster: steps, Install: cluster.Install{BeforeRelease: []cluster.Step{
		cluster.NewStep(cluster.PhaseHelm, "wait for the images loading in the background", im.awaitLoad)}},
		Teardown: []cluster.Step{cluster.NewStep(cluster.PhaseTeardown,
			fmt.Sprintf("delete kind cluster %s unless kept or reused", k.Name), deleteCluster)}}
}

func (source) DescribeReceiverBind(cfg *config.Config) string {
	if b := cfg.Cluster.Receiver.Bind; b != config.ReceiverAuto {
		return b
	}
	return "the kind network's gateway address (docker network inspect " + network() + ")"
}

// ReceiverBind implements cluster.Source: the kind network's gateway address is this machine's
// address on the network the nodes run in, so pods reach it and nothing else has to.
func (source) ReceiverBind(ctx context.Context, s *cluster.State) (string, error) {
	if b := s.Config.Cluster.Receiver.Bind; b != config.ReceiverAuto {
		return b, nil
	}
	return NetworkGateway(ctx, network())
}

// network is the docker network kind puts its nodes in.
func network() string {
	if n := os.Getenv("KIND_EXPERIMENTAL_DOCKER_NETWORK"); n != "" {
		return n
	}
	return "kind"
}

// CheckDocker fails fast, with what to do, when no Docker engine answers, or when kind is asked
// for another provider (KIND_EXPERIMENTAL_PROVIDER): everything after it (building kind,
// creating the cluster) would otherwise fail slowly or hang.
func CheckDocker(ctx context.Context, s *cluster.State) error {
	w, err := s.Config.Wait(kindconfig.WaitDockerReachable)
	if err != nil {
		return err
	}
	if p := os.Getenv("KIND_EXPERIMENTAL_PROVIDER"); p != "" && p != "docker" {
		return fmt.Errorf(
			"KIND_EXPERIMENTAL_PROVIDER=%s: the kind environment runs kind on Docker only (it builds the echo image with docker build, "+
				"loads images with kind load docker-image and finds the receiver's address with docker network inspect), "+
				"and never installs Docker beside %s. "+
				"Unset it and start Docker, or run your %s kind cluster as E2E_ENV=existing with its KUBECONFIG "+
				"(make echo-image builds the suite's echo for it)",
			p,
			p,
			p,
		)
	}
	if _, err := exec.LookPath("docker"); err != nil {
		return errors.New("the docker CLI is not on PATH: the kind environment runs its cluster in a Docker engine. " +
			"Install and start Docker, or run E2E_ENV=local (no Docker) or E2E_ENV=existing (a cluster from KUBECONFIG)")
	}
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	start := time.Now()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "docker", "info", "--format", "{{.ServerVersion}}")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err == nil && strings.TrimSpace(string(out)) != "" {
		return nil
	}
	why := strings.TrimSpace(stderr.String())
	if ctx.Err() != nil {
		why = fmt.Sprintf("no answer within %s (wait %s in %s)", w.Timeout, kindconfig.WaitDockerReachable, s.Config.File)
	} else if why == "" {
		why = fmt.Sprint(err)
	}
	return fmt.Errorf("the Docker engine is not reachable after %s: %s\n"+
		"The kind environment runs its cluster in Docker. Start the Docker engine (or point DOCKER_HOST at one) and run again; "+
		"on a Debian machine without Docker, make e2e-kind-here (as root) starts Debian's engine and builds every image it needs; "+
		"without Docker, use E2E_ENV=local, or E2E_ENV=existing with a cluster from KUBECONFIG",
		time.Since(start).Round(time.Millisecond), why)
}

// buildTools builds each tool into bin/, unless the binary there is current (Tool.Current): the
// workflow restores bin/ from its cache, so a CI job builds only what changed.
func buildTools(ctx context.Context, s *cluster.State) error {
	if !inRepository(s.Config) {
		return toolsFromOutside(ctx, s)
	}
	for _, t := range Tools {
		if ok, why := t.Current(s.Config); ok {
			fmt.Fprintf(s.Log, "tracegate: %s is current (%s), not rebuilt\n", rel(s.Config, cluster.Bin(s.Config, t.Name)), why)
			continue
		} else if why != "" {
			fmt.Fprintf(s.Log, "tracegate: rebuilding %s: %s\n", rel(s.Config, cluster.Bin(s.Config, t.Name)), why)
		}
		cmd := exec.CommandContext(
			ctx,
			"go",
			"build",
			"-C",
			filepath.Join("tools", t.Name),
			"-o",
			filepath.Join("..", "..", "bin", t.Name),
			t.Package,
		)
		cmd.Dir = s.Config.Dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s: %s: %w\n%s", t.Name, strings.Join(cmd.Args, " "), err, out)
		}
	}
	// e2e-framework looks kind up on PATH and would otherwise `go install` an older kind.
	return os.Setenv("PATH", filepath.Join(s.Config.Dir, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// Current reports whether bin/<name> was built from tools/<name> as it is now: from the tool's
// package, by the Go toolchain that runs the suite, with the tool's module at the version
// tools/<name>/go.mod pins, and every module it holds at a version and hash that
// tools/<name>/go.sum records. why says what matched, or what did not; it is "" when there is
// no binary.
func (t Tool) Current(cfg *config.Config) (ok bool, why string) {
	bin := cluster.Bin(cfg, t.Name)
	info, err := buildinfo.ReadFile(bin)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, ""
	case err != nil:
		return false, fmt.Sprintf("no Go build information: %v", err)
	case info.Path != t.Package:
		return false, fmt.Sprintf("built from %s, not %s", info.Path, t.Package)
	case info.GoVersion != runtime.Version():
		return false, fmt.Sprintf("built by %s, not %s", info.GoVersion, runtime.Version())
	}
	sums, err := os.ReadFile(filepath.Join(cfg.Dir, "tools", t.Name, "go.sum"))
	if err != nil {
		return false, err.Error()
	}
	recorded := map[string]bool{}
	for _, line := range strings.Split(string(sums), "\n") {
		recorded[strings.Join(strings.Fields(line), " ")] = true
	}
	pinned := t.Version(cfg)
	found := false
	for _, m := range append([]*debug.Module{&info.Main}, info.Deps...) {
		if m.Path == t.Module {
			if m.Version != pinned {
				return false, fmt.Sprintf("%s %s, but tools/%s/go.mod pins %s", t.Module, m.Version, t.Name, pinned)
			}
			found = true
		}
		if m.Replace != nil { // go.sum records the replacement
			m = m.Replace
		}
		if m.Sum != "" && !recorded[m.Path+" "+m.Version+" "+m.Sum] {
			return false, fmt.Sprintf("%s %s %s is not in tools/%s/go.sum", m.Path, m.Version, m.Sum, t.Name)
		}
	}
	if !found {
		return false, fmt.Sprintf("it holds no %s module", t.Module)
	}
	return true, fmt.Sprintf("%s %s, %s, every module as tools/%s/go.sum records it", t.Module, pinned, info.GoVersion, t.Name)
}

// ConfigData is what the kind cluster config template is rendered with.
type ConfigData struct {
	Name, NodeImage, KubernetesVersion string
}

// RenderConfig renders the kind cluster config template of the environment.
func RenderConfig(k *kindconfig.Cluster) ([]byte, error) {
	return cluster.RenderFile(k.Config, ConfigData{Name: k.Name, NodeImage: k.NodeImage, KubernetesVersion: k.KubernetesVersion})
}

func awaitCluster(ctx context.Context, s *cluster.State) error {
	return cluster.AwaitNodesReady(ctx, s)
}

// NetworkGateway returns the IPv4 gateway address of a docker network: this machine's address
// on it.
func NetworkGateway(ctx context.Context, network string) (string, error) {
	out, err := exec.CommandContext(
		ctx,
		"docker",
		"network",
		"inspect",
		network,
		"--format",
		"{{range .IPAM.Config}}{{.Gateway}} {{end}}",
	).Output()
	if err != nil {
		return "", fmt.Errorf("docker network inspect %s: %w", network, err)
	}
	return pickIPv4(network, string(out))
}

func pickIPv4(network, out string) (string, error) {
	for _, f := range strings.Fields(out) {
		if ip, err := netip.ParseAddr(f); err == nil && ip.Is4() {
			return ip.String(), nil
		}
	}
	return "", fmt.Errorf("docker network %s has no IPv4 gateway (got %q); set receiver.bind and receiver.advertise (on Docker Desktop: "+
		"bind 127.0.0.1, advertise the address host.docker.internal resolves to in a node)", network, strings.TrimSpace(out))
}

func rel(cfg *config.Config, path string) string {
	if r, err := filepath.Rel(cfg.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}
