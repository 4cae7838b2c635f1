package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"sigs.k8s.io/e2e-framework/klient"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/environment"
	"github.com/tracegate/tracegate/framework/otlp"
)

// Source is where the cluster comes from: the part of a plan in which kind and existing differ.
type Source interface {
	// Steps are the preflight, tools and cluster steps. When they have run, State.Kubeconfig
	// (and State.Context) select the cluster.
	Steps(cfg *config.Config) []Step
	// Installs reports whether the run installs the CRDs and the implementation (kind) or
	// expects them to be there already (existing).
	Installs() bool
	// ReceiverBind returns the address the receiver listens on (after the cluster steps).
	ReceiverBind(ctx context.Context, s *State) (string, error)
	// DescribeReceiverBind says where ReceiverBind will bind, for the plan.
	DescribeReceiverBind(cfg *config.Config) string
	// TeardownSteps remove the cluster, when the run should; they run after the namespace is gone.
	TeardownSteps(cfg *config.Config) []Step
}

// State is what the steps of one run share on Ginkgo process 1.
type State struct {
	Config *config.Config
	Log    io.Writer
	// Progress is Provider.Progress, or nil.
	Progress io.Writer
	// Kubeconfig and Context select the cluster once the cluster steps have run.
	Kubeconfig, Context string
	// Created is set when the run created the cluster itself; only such a cluster is deleted.
	Created bool
	// Namespace is the run's own namespace.
	Namespace string
	// KindCluster is the kind cluster's name, once the kind environment's cluster step has it;
	// "" for other types.
	KindCluster string

	// Extra is what the Source hands every Ginkgo process besides the cluster (Shared.Extra).
	Extra map[string]string
	// Started is when the run began; events older than it are another run's.
	Started time.Time

	client   klient.Client
	receiver *otlp.Receiver
	query    *otlp.QueryServer
	// advertised is the address:port the in-cluster Service sends spans to.
	advertised string
	// refused is a port beside the receiver where every connection is refused.
	refused *echo.Refusing
	applied *applied
}

// Client returns a client for the cluster, connecting on first use.
func (s *State) Client() (klient.Client, error) {
	if s.client != nil {
		return s.client, nil
	}
	rc, err := restConfig(s.Kubeconfig, s.Context)
	if err != nil {
		return nil, err
	}
	c, err := klient.New(rc)
	if err != nil {
		return nil, fmt.Errorf("connecting to the cluster of %s: %w", s.Kubeconfig, err)
	}
	s.client = c
	return c, nil
}

// Shared is what process 1 hands every Ginkgo process after provisioning.
type Shared struct {
	Kubeconfig  string `json:"kubeconfig"`
	Context     string `json:"context,omitempty"`
	Namespace   string `json:"namespace"`
	QueryURL    string `json:"queryURL"`
	KindCluster string `json:"kindCluster,omitempty"`
	// Objects are the fixtures the run created, for the artifacts.
	Objects []ObjectRef `json:"objects,omitempty"`
	// Started is when the run began.
	Started time.Time `json:"started"`
	// Extra is the Source's own (State.Extra).
	Extra map[string]string `json:"extra,omitempty"`
}

// shared is what process 1 hands on, as far as the steps got.
func (s *State) shared() Shared {
	sh := Shared{Kubeconfig: s.Kubeconfig, Context: s.Context, Namespace: s.Namespace, KindCluster: s.KindCluster,
		Objects: s.fixtures().refs(), Started: s.Started, Extra: s.Extra}
	if s.query != nil {
		sh.QueryURL = s.query.URL
	}
	return sh
}

// Provider provisions a cluster environment once and connects every process to it. Process 1
// owns the receiver, every process its own port-forwards.
type Provider struct {
	Config *config.Config
	Log    io.Writer
	// Progress, when set, also gets each step's start and end as it happens (the terminal:
	// Ginkgo shows Log only on failure, and a cluster's first run takes minutes).
	Progress io.Writer
	Source   Source

	state *State
}

var _ environment.Provider = (*Provider)(nil)

// Register registers a cluster environment type (from its package's init) whose Provider
// newProvider makes; the run's progress writer goes to Provider.Progress.
func Register(name string, newProvider func(cfg *config.Config, log io.Writer) *Provider) {
	environment.Register(environment.Type{Name: name, Cluster: true,
		New: func(cfg *config.Config, log, progress io.Writer) environment.Provider {
			p := newProvider(cfg, log)
			p.Progress = progress
			return p
		}})
}

// Plan returns the steps of a run, in order, without carrying any out.
func (p *Provider) Plan() Plan {
	cfg := p.Config
	prof, cl := cfg.Implementation.Cluster, cfg.Cluster
	plan := Plan(p.Source.Steps(cfg))
	if in, ok := p.Source.(Installer); ok {
		plan = append(plan, installSteps(cfg, true, in.InstallSteps(cfg))...)
	} else {
		plan = append(plan, installSteps(cfg, p.Source.Installs(), nil)...)
	}
	plan = append(plan,
		NewStep(PhaseReceiver, fmt.Sprintf("start the OTLP/gRPC receiver on %s:%s and the span query server on 127.0.0.1",
			p.Source.DescribeReceiverBind(cfg), portOrFree(cl.Receiver.Port)), p.startReceiver),
	)
	plan = append(plan, p.fixtureSteps()...)
	variants := slices.Sorted(maps.Keys(prof.Variants))
	forward := fmt.Sprintf("each Ginkgo process port-forwards 127.0.0.1:<free port> to port %d of a running pod matching %q (Gateway %s)",
		prof.Proxy.Port, prof.Proxy.Selector, prof.Gateway)
	reacher, direct := p.Source.(Reacher)
	if direct {
		forward = reacher.DescribeReach(cfg)
	}
	if len(variants) > 0 {
		forward += fmt.Sprintf("; variants %s on first use", strings.Join(variants, ", "))
	}
	plan = append(plan, NewStep(PhasePortForward, forward, nil))
	if prof.Proxy.AdminPort > 0 && !direct {
		plan = append(plan, NewStep(PhasePortForward, fmt.Sprintf("on a failure: port-forward admin port %d of the proxy pod for /config_dump; pod logs, object status and events into the artifacts", prof.Proxy.AdminPort), nil))
	}
	plan = append(plan,
		NewStep(PhaseTeardown, fmt.Sprintf("delete namespace %s-<random> and everything in it, and what the fixtures created elsewhere (kept with DEBUG=1 or E2E_KEEP=1)", cl.NamespacePrefix), deleteNamespace),
	)
	plan = append(plan, p.Source.TeardownSteps(cfg)...)
	plan = append(plan, NewStep(PhaseTeardown, "stop the receiver and the span query server", stopReceiver))
	return plan
}

// Provision implements environment.Provider: everything up to the port-forwards.
func (p *Provider) Provision(ctx context.Context) ([]byte, error) {
	p.state = &State{Config: p.Config, Log: p.Log, Progress: p.Progress, Started: time.Now()}
	plan := p.Plan()
	fmt.Fprintf(p.Log, "tracegate plan:\n%s", plan)
	err := plan.run(ctx, p.state, PhasePreflight, PhaseTools, PhaseCluster, PhaseCRDs, PhaseHelm, PhaseInstall, PhaseReceiver, PhaseFixtures)
	if err != nil {
		return nil, err
	}
	return json.Marshal(p.state.shared())
}

// Install brings the cluster up and installs the implementation, without the receiver and
// fixtures of a run: what make kind-up leaves for later runs to reuse.
func (p *Provider) Install(ctx context.Context) error {
	p.state = &State{Config: p.Config, Log: p.Log, Progress: p.Progress, Started: time.Now()}
	return p.Plan().run(ctx, p.state, PhasePreflight, PhaseTools, PhaseCluster, PhaseCRDs, PhaseHelm, PhaseInstall)
}

// Connect implements environment.Provider: this process's view of the shared cluster.
func (p *Provider) Connect(ctx context.Context, shared []byte) (environment.Environment, error) {
	var sh Shared
	if err := json.Unmarshal(shared, &sh); err != nil {
		return nil, fmt.Errorf("reading what process 1 provisioned: %w", err)
	}
	var reach Reach
	if r, ok := p.Source.(Reacher); ok {
		var err error
		if reach, err = r.Reach(ctx, p.Config, sh); err != nil {
			return nil, err
		}
	}
	return connect(ctx, p.Config, sh, reach, p.Log)
}

// Teardown implements environment.Provider. It runs after a failed Provision too, and removes
// only what was created.
func (p *Provider) Teardown(ctx context.Context) error {
	if p.state == nil {
		return nil
	}
	return p.Plan().runAll(ctx, p.state, PhaseTeardown)
}

// runAll carries out every step of the phases even when some fail, and joins the errors:
// teardown must not leave a receiver running because a namespace could not be deleted.
func (p Plan) runAll(ctx context.Context, s *State, phases ...string) error {
	var errs []error
	for i, step := range p {
		if step.run == nil || !contains(phases, step.Phase) {
			continue
		}
		if err := step.run(ctx, s); err != nil {
			errs = append(errs, fmt.Errorf("step %d [%s] %s: %w", i+1, step.Phase, step.What, err))
		}
	}
	return errors.Join(errs...)
}

func portOrFree(port int) string {
	if port == 0 {
		return "<free port>"
	}
	return fmt.Sprint(port)
}

// CollectSetupArtifacts writes what the cluster shows after a failed Provision into dir/cluster,
// as far as the run got: the objects it created with their status, events, logs, the Source's
// own (kwok: Envoy Gateway's log, Envoy's config dumps), and the commands that reach them. The
// failures setup meets most (a Gateway that is never Programmed, a route never Accepted) show
// here, before teardown deletes anything.
func (p *Provider) CollectSetupArtifacts(ctx context.Context, dir string) error {
	s := p.state
	if s == nil || s.Kubeconfig == "" {
		return errors.New("the run stopped before it had a cluster: nothing to collect")
	}
	sh := s.shared()
	rc, err := restConfig(sh.Kubeconfig, sh.Context)
	if err != nil {
		return err
	}
	e := &Environment{cfg: p.Config, shared: sh, rest: rc, log: p.Log, forwards: map[string]*forward{}, direct: map[string]string{}}
	if r, ok := p.Source.(Reacher); ok {
		if reach, err := r.Reach(ctx, p.Config, sh); err == nil {
			e.reach = reach
			defer reach.Close()
		}
	}
	return e.CollectArtifacts(dir)
}
