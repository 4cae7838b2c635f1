package kwok

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
)

// Runner runs one implementation beside a kwok cluster: its controller and its proxies as
// local processes in the run's network namespace. Each implementation that runs on kwok has
// one, in a file of this package that registers it (Register) under the name its profile's
// cluster.kwok.runner gives (the implementation's name by default). What the runner needs to
// know that is a fact (tools, Envoy version, CRDs, port offset) is in the profile.
type Runner interface {
	// Describe says what the other methods do, for the plan.
	Describe(cfg *config.Config) Description
	// Setup runs once the implementation's CRDs exist (and its controller namespace, when the
	// profile names one), before the controller starts: certificates, files.
	Setup(ctx context.Context, h *Host) error
	// StartController starts the implementation's one controller, after Setup.
	StartController(ctx context.Context, h *Host) error
	// StartGateway starts what serves one Gateway (its proxy; or its own controller and its
	// proxy), once the fixtures exist; Gateway by Gateway, the main one first.
	StartGateway(ctx context.Context, h *Host, gw Gateway) error
}

// Description says, for the plan, what a Runner's methods do; "" for a method that does
// nothing (and then the plan has no step for it).
type Description struct {
	Setup      string // such as "write the xDS certificates"
	Controller string // such as "start envoy-gateway server"
	Gateway    string // such as "start a proxy"; said "for each Gateway, ..."
}

// Gateway is a Gateway of the fixtures as a runner serves it.
type Gateway struct {
	Name      string
	Namespace string // the run's namespace
	Variant   string // "" for the main Gateway
	Index     int    // 0 for the main Gateway, then the variants in name order
	Port      int    // its listener's port
	ProxyPort int    // Port + the profile's listenerPortOffset: where its proxy listens
	// Ports are ten ports of 127.0.0.1 for its processes alone (xDS, admin, health, ...).
	Ports []int
}

var (
	runnersMu sync.Mutex
	runners   = map[string]Runner{}
)

// Register registers a Runner under a name, from its file's init.
func Register(name string, r Runner) {
	runnersMu.Lock()
	defer runnersMu.Unlock()
	if _, dup := runners[name]; dup {
		panic("kwok: runner " + name + " registered twice")
	}
	runners[name] = r
}

// runnerOf is the Runner of the run's implementation.
func runnerOf(cfg *config.Config) (Runner, error) {
	k := profile(cfg)
	if k == nil {
		return nil, fmt.Errorf("implementation %s has no kwok profile (implementations.%s.cluster.kwok in its profile file): "+
			"the kwok environment runs an implementation whose controller and proxies can run as local processes, "+
			"as profiles/envoy-gateway.yaml and profiles/contour.yaml say how",
			cfg.Implementation.Name, cfg.Implementation.Name)
	}
	runnersMu.Lock()
	defer runnersMu.Unlock()
	if r, ok := runners[k.Runner]; ok {
		return r, nil
	}
	return nil, fmt.Errorf("%s: implementations.%s.cluster.kwok.runner: %q has no runner; allowed: "+
		"%s (each a file of framework/environment/kwok)",
		cfg.ImplementationFile(), cfg.Implementation.Name, k.Runner, strings.Join(slices.Sorted(maps.Keys(runners)), ", "))
}

// describe is what the run's runner says of itself, or nothing when it has none (the plan
// still prints; preflight refuses the run).
func describe(cfg *config.Config) Description {
	if r, err := runnerOf(cfg); err == nil {
		return r.Describe(cfg)
	}
	return Description{}
}

// Host is a Runner's view of the run: where things are, and how to run processes in the run's
// network namespace.
type Host struct {
	State *cluster.State
	run   *run
}

// Config is the run's configuration.
func (h *Host) Config() *config.Config { return h.run.cfg }

// Dir is the directory of the implementation's profile file: its fixtures are named from it.
func (h *Host) Dir() string { return h.run.cfg.Implementation.Dir }

// Bin is the path of a binary the project builds into bin/.
func (h *Host) Bin(name string) string { return cluster.Bin(h.run.cfg, name) }

// EnvoyBin is the absolute path of the profile's Envoy, bin/envoy-<version>.
func (h *Host) EnvoyBin() string { return h.Bin(profile(h.run.cfg).Envoy.Bin()) }

// EnvoyVersion is the version bin/envoy-<version> reports.
func (h *Host) EnvoyVersion() string { return h.run.envoyVersion }

// Kubeconfig is the kwok cluster's, valid inside the network namespace.
func (h *Host) Kubeconfig() string { return h.State.Kubeconfig }

// ControllerNamespace is implementations.<name>.cluster.controller.namespace, or "".
func (h *Host) ControllerNamespace() string {
	return h.run.cfg.Implementation.Cluster.Controller.Namespace
}

// WorkDir is the work directory of a process (its name, spaces made dashes), with the home
// directory it runs with, created.
func (h *Host) WorkDir(name string) (string, error) {
	dir := filepath.Join(h.run.work, strings.ReplaceAll(name, " ", "-"))
	return dir, os.MkdirAll(filepath.Join(dir, "home"), 0o755)
}

// RenderConfig renders the profile's configuration template (cluster.kwok.config) with data
// into dir, without its .tmpl suffix, and returns the written file's path.
func (h *Host) RenderConfig(dir string, data any) (string, error) {
	template := profile(h.run.cfg).Config
	if template == "" {
		return "", fmt.Errorf("%s: implementations.%s.cluster.kwok.config: required by runner %s: "+
			"the template of the implementation's configuration",
			h.run.cfg.ImplementationFile(), h.run.cfg.Implementation.Name, profile(h.run.cfg).Runner)
	}
	text, err := cluster.RenderFile(template, data)
	if err != nil {
		return "", fmt.Errorf("%s: %w", template, err)
	}
	dest := filepath.Join(dir, strings.TrimSuffix(filepath.Base(template), ".tmpl"))
	return dest, os.WriteFile(dest, text, 0o644)
}
