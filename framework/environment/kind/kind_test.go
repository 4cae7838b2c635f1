package kind_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kind"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
)

func repoConfig(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	return configtest.Repo(t, env)
}

// TestPlanOrder checks the order a kind run takes, for every implementation: the Docker check
// before anything slow, then cluster, CRDs, Helm, receiver, fixtures, port-forwards, teardown.
func TestPlanOrder(t *testing.T) {
	for impl, want := range map[string][]string{
		"envoy-gateway": {"preflight", "tools", "cluster", "crds", "helm", "install", "receiver", "fixtures", "port-forward", "teardown"},
		"kgateway":      {"preflight", "tools", "cluster", "crds", "helm", "receiver", "fixtures", "port-forward", "teardown"},
	} {
		t.Run(impl, func(t *testing.T) {
			cfg := repoConfig(t, map[string]string{"E2E_ENV": "kind", "E2E_IMPLEMENTATION": impl})
			plan := kind.New(cfg, nil).Plan()
			if got := plan.Phases(); !slices.Equal(got, want) {
				t.Errorf("phases %v\nwant   %v\nplan:\n%s", got, want, plan)
			}
			if !strings.Contains(plan[0].What, "Docker engine") {
				t.Errorf("first step %q, want the Docker check", plan[0].What)
			}
			text := plan.String()
			for _, h := range cfg.Implementation.Cluster.Helm {
				if !strings.Contains(text, h.Chart+" --version "+h.Version) {
					t.Errorf("plan lacks helm %s@%s:\n%s", h.Chart, h.Version, text)
				}
			}
			for _, w := range []string{
				kindconfig.Settings(cfg).NodeImage,
				"fixtures/gateway-api/v1.6.1",
				"delete kind cluster tracegate",
				"otlp.yaml.tmpl",
			} {
				if !strings.Contains(text, w) {
					t.Errorf("plan lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

// TestRenderedKindConfig renders the kind config for every Kubernetes version of the CI matrix
// and decodes it strictly into the v1alpha4 types of the kind the root go.mod pins (the same
// release as tools/kind, TestKindModulesAgree).
func TestRenderedKindConfig(t *testing.T) {
	base := repoConfig(t, map[string]string{"E2E_ENV": "kind"})
	for _, v := range workflowMatrix(t).Kubernetes {
		cfg := repoConfig(t, map[string]string{"E2E_ENV": "kind", "E2E_KUBERNETES_VERSION": v})
		data, err := kind.RenderConfig(kindconfig.Settings(cfg))
		if err != nil {
			t.Fatal(err)
		}
		var c v1alpha4.Cluster
		if err := yaml.UnmarshalStrict(data, &c); err != nil {
			t.Fatalf("%s: %v\n%s", v, err, data)
		}
		if c.Kind != "Cluster" || c.APIVersion != "kind.x-k8s.io/v1alpha4" || c.Name != kindconfig.Settings(base).Name {
			t.Errorf("%s: %+v", v, c.TypeMeta)
		}
		if len(c.Nodes) == 0 || c.Nodes[0].Image != kindconfig.Settings(cfg).NodeImage || !strings.Contains(c.Nodes[0].Image, ":v"+v+".") {
			t.Errorf("%s: nodes %+v, want the image %s", v, c.Nodes, kindconfig.Settings(cfg).NodeImage)
		}
		// e2e-framework's control-plane wait expects kindnet and kube-proxy.
		if c.Networking.DisableDefaultCNI || c.Networking.KubeProxyMode == "none" {
			t.Errorf("%s: the default CNI and kube-proxy must stay", v)
		}
	}
}

// fakeDocker puts a docker script first on PATH.
func fakeDocker(t *testing.T, script string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "docker"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// TestDockerCheckFailsFast: without a Docker engine, or with one that hangs, the run stops
// within the dockerReachable wait with an error that says what is missing and what to do.
func TestDockerCheckFailsFast(t *testing.T) {
	for name, tc := range map[string]struct{ script, want string }{
		"no daemon": {
			`echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1`,
			"Cannot connect to the Docker daemon",
		},
		"hangs": {"exec sleep 60", "no answer within"},
	} {
		t.Run(name, func(t *testing.T) {
			fakeDocker(t, tc.script)
			cfg := repoConfig(t, map[string]string{"E2E_ENV": "kind", "E2E_TIMEOUT_SCALE": "0.1"}) // dockerReachable: 500ms
			// No timing assertion (shared machines are noisy): "no answer within" shows the
			// hanging docker was cut off by the dockerReachable wait, and a hang would time out.
			err := kind.CheckDocker(context.Background(), &cluster.State{Config: cfg})
			if err == nil || !strings.Contains(err.Error(), "the Docker engine is not reachable") || !strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), "E2E_ENV=local") {
				t.Errorf("error = %v", err)
			}
		})
	}
	t.Run("podman", func(t *testing.T) {
		fakeDocker(t, "echo 28.0.1")
		t.Setenv("KIND_EXPERIMENTAL_PROVIDER", "podman")
		err := kind.CheckDocker(context.Background(), &cluster.State{Config: repoConfig(t, map[string]string{"E2E_ENV": "kind"})})
		if err == nil ||
			!strings.Contains(err.Error(), "KIND_EXPERIMENTAL_PROVIDER=podman") ||
			!strings.Contains(err.Error(), "E2E_ENV=existing") {
			t.Errorf("error = %v, want a refusal of KIND_EXPERIMENTAL_PROVIDER=podman that says what to do", err)
		}
	})
	t.Run("answers", func(t *testing.T) {
		t.Setenv("KIND_EXPERIMENTAL_PROVIDER", "docker")
		fakeDocker(t, "echo 28.0.1")
		if err := kind.CheckDocker(context.Background(), &cluster.State{
			Config: repoConfig(t, map[string]string{"E2E_ENV": "kind"}),
		}); err != nil {
			t.Error(err)
		}
	})
}

func TestNetworkGateway(t *testing.T) {
	fakeDocker(t, `echo "fc00:f853:ccd:e793::1 172.18.0.1 "`)
	ip, err := kind.NetworkGateway(context.Background(), "kind")
	if err != nil || ip != "172.18.0.1" {
		t.Errorf("NetworkGateway = %q, %v; want the IPv4 gateway 172.18.0.1", ip, err)
	}
	fakeDocker(t, `echo "fc00:f853:ccd:e793::1"`)
	if _, err := kind.NetworkGateway(context.Background(), "kind"); err == nil || !strings.Contains(err.Error(), "receiver.bind") {
		t.Errorf("error = %v, want one that says to set receiver.bind", err)
	}
}

func TestToolVersions(t *testing.T) {
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kind"})
	for _, tool := range kind.Tools {
		if v := tool.Version(cfg); !strings.HasPrefix(v, "v") {
			t.Errorf("%s: version %q, want the one pinned in tools/%s/go.mod", tool.Name, v, tool.Name)
		}
	}
}

// matrix is the kind job's strategy.matrix in the workflow.
type matrix struct {
	Kubernetes     []string            `json:"kubernetes"`
	Implementation []string            `json:"implementation"`
	Include        []map[string]string `json:"include"`
	Exclude        []map[string]string `json:"exclude"`
}

// cell is one job of the matrix.
type cell struct{ kubernetes, implementation string }

// cells expands the matrix as GitHub Actions does for the forms it uses: the product of the two
// lists, less the exclude entries, plus include entries that name both keys.
func (m matrix) cells(t *testing.T) []cell {
	t.Helper()
	var cells []cell
	for _, v := range m.Kubernetes {
		for _, impl := range m.Implementation {
			excluded := slices.ContainsFunc(m.Exclude, func(e map[string]string) bool {
				k, hasK := e["kubernetes"]
				i, hasI := e["implementation"]
				return (hasK || hasI) && (!hasK || k == v) && (!hasI || i == impl)
			})
			if !excluded {
				cells = append(cells, cell{v, impl})
			}
		}
	}
	for _, e := range m.Include {
		c := cell{e["kubernetes"], e["implementation"]}
		if c.kubernetes == "" || c.implementation == "" {
			t.Fatalf("matrix include %v: this test reads include entries that name both kubernetes and implementation", e)
		}
		if !slices.Contains(cells, c) {
			cells = append(cells, c)
		}
	}
	return cells
}

// workflowMatrix reads the kind job's matrix from .github/workflows/e2e.yaml.
func workflowMatrix(t *testing.T) matrix {
	t.Helper()
	data, err := os.ReadFile("../../../.github/workflows/e2e.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Strategy struct {
				Matrix matrix `json:"matrix"`
			} `json:"strategy"`
		} `json:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	m := wf.Jobs["kind"].Strategy.Matrix
	if len(m.Kubernetes) == 0 || len(m.Implementation) == 0 {
		t.Fatalf("no kind matrix in the workflow: %+v", m)
	}
	return m
}

// TestWorkflowMatrix: the CI matrix and the profiles agree. Every cell (Kubernetes version x
// implementation) is in the implementation's support window and has a pinned node image, so a
// user's first CI run never starts a pair the suite refuses; and every version of a window that
// has a pinned image is in the matrix, so CI covers the whole window it can.
func TestWorkflowMatrix(t *testing.T) {
	m := workflowMatrix(t)
	cells := m.cells(t)
	for _, c := range cells {
		cfg, err := configtest.Load(t, map[string]string{
			"E2E_ENV":                "kind",
			"E2E_KUBERNETES_VERSION": c.kubernetes,
			"E2E_IMPLEMENTATION":     c.implementation,
		})
		if err != nil {
			t.Errorf("%s x %s: the suite refuses this cell:\n%v", c.kubernetes, c.implementation, err)
			continue
		}
		p := cfg.Implementation.Cluster
		if p == nil || !p.Kubernetes.Supports(c.kubernetes) || kindconfig.Settings(cfg).NodeImage == "" {
			t.Errorf("%s x %s: not in the support window, or no node image (profile %+v)", c.kubernetes, c.implementation, p)
		}
	}
	for _, impl := range m.Implementation {
		cfg := repoConfig(t, map[string]string{"E2E_ENV": "kind", "E2E_IMPLEMENTATION": impl})
		for _, v := range cfg.Implementation.Cluster.Kubernetes.Versions {
			if _, pinned := kindconfig.Settings(cfg).NodeImages[v]; pinned && !slices.Contains(cells, cell{v, impl}) {
				t.Errorf("%s x %s: in the support window (%s) with a pinned node image, but not in the workflow's matrix",
					v, impl, cfg.Implementation.Cluster.Kubernetes)
			}
		}
	}
}

// TestUnsupportedPairRefused: a Kubernetes version outside an implementation's support window
// stops the run when the config loads, before the Docker check or any build, and the error names
// the window and where it is published.
func TestUnsupportedPairRefused(t *testing.T) {
	for impl, source := range map[string]string{
		"envoy-gateway": "Envoy Gateway's compatibility matrix, row v1.9",
		"kgateway":      "kgateway's version support table, row 2.4.x",
	} {
		_, err := configtest.Load(t, map[string]string{"E2E_ENV": "kind", "E2E_KUBERNETES_VERSION": "1.37", "E2E_IMPLEMENTATION": impl})
		if err == nil ||
			!strings.Contains(err.Error(), "E2E_KUBERNETES_VERSION: Kubernetes 1.37 is outside the support window of implementation "+impl) ||
			!strings.Contains(err.Error(), source) ||
			!strings.Contains(err.Error(), "1.34, 1.35, 1.36") {
			t.Errorf("%s on 1.37: error = %v", impl, err)
		}
	}
}

// TestKindModulesAgree: the kind whose config types the tests decode into (root go.mod) is the
// kind the environment builds and runs (tools/kind/go.mod).
func TestKindModulesAgree(t *testing.T) {
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kind"})
	gomod, err := os.ReadFile("../../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(kind.Tools, func(t kind.Tool) bool { return t.Name == "kind" })
	if i < 0 {
		t.Fatal("kind.Tools has no kind")
	}
	if want := kind.Tools[i].Version(cfg); !strings.Contains(string(gomod), "\tsigs.k8s.io/kind "+want+"\n") {
		t.Errorf("go.mod does not require sigs.k8s.io/kind %s, the version tools/kind/go.mod pins", want)
	}
}

// TestToolCurrent: a binary in bin/ is reused only when it was built from the tool's package by
// this Go, with the pinned version of the tool's module and every module as the tool's go.sum
// records it. cmd/mutate, built from the root module, stands in for a tool: the root go.mod pins
// go.yaml.in/yaml/v3 and the root go.sum records its modules.
func TestToolCurrent(t *testing.T) {
	built := filepath.Join(t.TempDir(), "mutate")
	cmd := exec.Command("go", "build", "-o", built, "./cmd/mutate")
	cmd.Dir = "../../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
	}
	binary, err := os.ReadFile(built)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile("../../../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile("../../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	pin := regexp.MustCompile(`(?m)^\s*go\.yaml\.in/yaml/v3 (v\S+)`).FindSubmatch(gomod)
	if pin == nil {
		t.Fatal("go.mod does not require go.yaml.in/yaml/v3")
	}
	version := string(pin[1])
	tool := kind.Tool{Name: "fake", Module: "go.yaml.in/yaml/v3", Package: "github.com/tracegate/tracegate/cmd/mutate"}
	setup := func(t *testing.T, gomod, gosum string, withBinary bool) *config.Config {
		dir := t.TempDir()
		files := map[string]string{"tools/fake/go.mod": gomod, "tools/fake/go.sum": gosum}
		if withBinary {
			files["bin/fake"] = string(binary)
		}
		for name, content := range files {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		return &config.Config{Dir: dir}
	}
	yamlSum := regexp.MustCompile(`(?m)^go\.yaml\.in/yaml/v3 ` + regexp.QuoteMeta(version) + ` h1:.*\n`)
	for name, tc := range map[string]struct {
		gomod, gosum string
		binary, ok   bool
		why          string
	}{
		"current":   {string(gomod), string(sums), true, true, "go.yaml.in/yaml/v3 " + version + ", go"},
		"no binary": {string(gomod), string(sums), false, false, ""},
		"another pin": {
			strings.Replace(string(gomod), "go.yaml.in/yaml/v3 "+version, "go.yaml.in/yaml/v3 v3.0.1", 1),
			string(sums),
			true,
			false,
			"but tools/fake/go.mod pins v3.0.1",
		},
		"a sum not in go.sum": {string(gomod), yamlSum.ReplaceAllString(string(sums), ""), true, false, "is not in tools/fake/go.sum"},
	} {
		t.Run(name, func(t *testing.T) {
			ok, why := tool.Current(setup(t, tc.gomod, tc.gosum, tc.binary))
			if ok != tc.ok || !strings.Contains(why, tc.why) || (tc.why == "" && why != "") {
				t.Errorf("Current = %t, %q; want %t and %q", ok, why, tc.ok, tc.why)
			}
		})
	}
	other := tool
	other.Package = "sigs.k8s.io/kind"
	if ok, why := other.Current(setup(t, string(gomod), string(sums), true)); ok || !strings.Contains(why, "not sigs.k8s.io/kind") {
		t.Errorf("another package: Current = %t, %q", ok, why)
	}
}
