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

// Source is where the cluster comes from: the part of a plan in which kind, kwok and existing
// differ. Where they differ further, a Source adds a capability of hooks.go.
type Source interface {
	// Steps are its steps, by where they go in the plan.
	Steps(cfg *config.Config) SourceSteps
	// ReceiverBind returns the address the receiver listens on (after the cluster steps).
	ReceiverBind(ctx context.Context, s *State) (string, error)
	// DescribeReceiverBind says where ReceiverBind will bind, for the plan.
	DescribeReceiverBind(cfg *config.Config) string
}

// SourceSteps are a Source's steps, by where they go in the plan.
type SourceSteps struct {
	// Cluster are the preflight, tools and cluster steps. When they have run,
	// State.Kubeconfig (and State.Context) select the cluster.
	Cluster []Step
	// Install says how the CRDs and the implementation get into the cluster.
	Install Install
	// Started run once the fixtures exist, before their status is waited on (kwok: what
	// serves each Gateway, which needs the run's namespace and Gateways); Ready after those
	// waits, for what status does not show (kwok: Envoy's listeners answering).
	Started, Ready []Step
	// Teardown remove the cluster, when the run should; they run after the namespace is gone.
	Teardown []Step
}

// Install is how the CRDs and the implementation get into the cluster: by default the
// profile's Gateway API CRDs, Helm charts and the wait for its controller's Deployment (kind).
type Install struct {
	// Installed: they are there already (existing): the run checks, and installs nothing.
	Installed bool
	// Own replace the Helm charts and the Deployment wait (kwok: the implementation's CRDs
	// from its module and its controller as a local process); nil for the Helm charts.
	Own []Step
	// BeforeRelease run after the CRDs, right before the first Helm release that installs
	// something (kind: waiting for the images it loads while the CRDs go in).
	BeforeRelease []Step
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
	// Endpoints are what the Source's steps add to every process's endpoints: addresses and
	// the commands that reach them (kind: how to export its kubeconfig).
	Endpoints map[string]string
	// Own is the Source's own share of what process 1 hands every Ginkgo process (kwok: its
	// network namespace, listener ports and processes): a value of the Source's own type,
	// encoded as JSON when shared; Shared.ReadOwn decodes it.
	Own any
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
	Kubeconfig string `json:"kubeconfig"`
	Context    string `json:"context,omitempty"`
	Namespace  string `json:"namespace"`
	QueryURL   string `json:"queryURL"`
	// Objects are the fixtures the run created, for the artifacts.
	Objects []ObjectRef `json:"objects,omitempty"`
	// Started is when the run began.
	Started time.Time `json:"started"`
	// Endpoints are the Source's additions to the endpoints (State.Endpoints).
	Endpoints map[string]string `json:"endpoints,omitempty"`
	// Own is the Source's own share (State.Own), as JSON.
	Own json.RawMessage `json:"own,omitempty"`
}

// ReadOwn decodes the Source's own share into v, a pointer to the type it shared.
func (sh Shared) ReadOwn(v any) error {
	if len(sh.Own) == 0 {
		return errors.New("process 1 shared nothing of its cluster source")
	}
	if err := json.Unmarshal(sh.Own, v); err != nil {
		return fmt.Errorf("reading what process 1 shared of its cluster source: %w", err)
	}
	return nil
}

// shared is what process 1 hands on, as far as the steps got.
func (s *State) shared() (Shared, error) {
	sh := Shared{Kubeconfig: s.Kubeconfig, Context: s.Context, Namespace: s.Namespace,
		Objects: s.fixtures().refs(), Started: s.Started, Endpoints: s.Endpoints}
	if s.query != nil {
		sh.QueryURL = s.query.URL
	}
	if s.Own != nil {
		own, err := json.Marshal(s.Own)
		if err != nil {
			return sh, fmt.Errorf("sharing the cluster source's state: %w", err)
		}
		sh.Own = own
	}
	return sh, nil
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
	src := p.Source.Steps(cfg)
	plan := Plan(src.Cluster)
	plan = append(plan, installSteps(cfg, src.Install)...)
	plan = append(plan,
		NewStep(PhaseReceiver, fmt.Sprintf("start the OTLP/gRPC receiver on %s:%s and the span query server on 127.0.0.1",
			p.Source.DescribeReceiverBind(cfg), portOrFree(cl.Receiver.Port)), p.startReceiver),
	)
	plan = append(plan, p.fixtureSteps(src)...)
	variants := slices.Sorted(maps.Keys(prof.Variants))
	forward := fmt.Sprintf("each Ginkgo process port-forwards 127.0.0.1:<free port> to port %d of a running pod matching %q (Gateway %s)",
		prof.Proxy.Port, prof.Proxy.Selector, prof.Gateway)
	network, direct := p.Source.(Network)
	if direct {
		forward = network.DescribeReach(cfg)
	}
	if len(variants) > 0 {
		forward += fmt.Sprintf("; variants %s on first use", strings.Join(variants, ", "))
	}
	plan = append(plan, NewStep(PhasePortForward, forward, nil))
	if prof.Proxy.AdminPort > 0 && !direct {
		plan = append(plan, NewStep(PhasePortForward, fmt.Sprintf("on a failure: /config_dump from admin port %d, logs, "+
			"status and events into the artifacts", prof.Proxy.AdminPort), nil))
	}
	plan = append(plan,
		NewStep(
			PhaseTeardown,
			fmt.Sprintf("delete namespace %s-<random> and what the fixtures made elsewhere, unless kept", cl.NamespacePrefix),
			deleteNamespace,
		),
	)
	plan = append(plan, src.Teardown...)
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
	sh, err := p.state.shared()
	if err != nil {
		return nil, err
	}
	return json.Marshal(sh)
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
	if r, ok := p.Source.(Network); ok {
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
	sh, err := s.shared()
	if err != nil {
		return err
	}
	rc, err := restConfig(sh.Kubeconfig, sh.Context)
	if err != nil {
		return err
	}
	e := &Environment{cfg: p.Config, shared: sh, rest: rc, log: p.Log, forwards: map[string]*forward{}, direct: map[string]string{}}
	if r, ok := p.Source.(Network); ok {
		if reach, err := r.Reach(ctx, p.Config, sh); err == nil {
			e.reach = reach
			defer reach.Close()
		}
	}
	return e.CollectArtifacts(dir)
}
