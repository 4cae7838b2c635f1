package cluster

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/e2e-framework/klient/k8s"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
)

// Bin is the path of a CLI the project builds into bin/ (kind, helm).
func Bin(cfg *config.Config, name string) string { return filepath.Join(cfg.Dir, "bin", name) }

// bundleVersion is the annotation the Gateway API CRDs carry their release in.
const bundleVersion = "gateway.networking.k8s.io/bundle-version"

var gatewayCRD = schema.GroupVersionKind{Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinition"}

// installSteps install the CRDs and the implementation (kind), or check that they are there
// (existing); the Source's own steps replace the Helm steps when it installs the
// implementation itself (kwok).
func installSteps(cfg *config.Config, in Install) []Step {
	p, own := cfg.Implementation.Cluster, in.Own
	if in.Installed {
		return []Step{
			NewStep(PhaseCRDs, "check that the Gateway API CRDs are established (nothing is installed in an existing cluster)", checkCRDs),
			NewStep(
				PhaseHelm,
				fmt.Sprintf("check that GatewayClass %s is Accepted (%s installed already)", p.GatewayClass, cfg.Implementation.Name),
				checkGatewayClass,
			),
		}
	}
	var steps []Step
	if p.GatewayAPI != "" {
		steps = append(steps, NewStep(PhaseCRDs, fmt.Sprintf("create the Gateway API CRDs of %s unless present, checking their version; "+
			"wait %s: Established",
			rel(cfg, p.GatewayAPI), clusterconfig.WaitInstallReady), installCRDs))
	}
	if own != nil {
		steps = append(steps, own...)
	}
	before := false // in.BeforeRelease placed
	for _, h := range p.Helm {
		if own != nil {
			break
		}
		if !h.TemplateOnly && !before {
			steps, before = append(steps, in.BeforeRelease...), true
		}
		what := "helm " + strings.Join(helmArgs(cfg, h, "<kubeconfig>", ""), " ")
		if h.TemplateOnly {
			what += fmt.Sprintf(", then create what it renders unless present; wait %s: CRDs Established", clusterconfig.WaitInstallReady)
		}
		steps = append(steps, NewStep(PhaseHelm, what, func(ctx context.Context, s *State) error {
			return helmRelease(ctx, s, h)
		}))
	}
	if !before {
		steps = append(steps, in.BeforeRelease...)
	}
	if c := p.Controller; c.Deployment != "" && own == nil {
		steps = append(steps, NewStep(
			PhaseHelm,
			fmt.Sprintf("wait %s: Deployment %s/%s Available", clusterconfig.WaitInstallReady, c.Namespace, c.Deployment),
			awaitController,
		))
	}
	if p.Install != "" {
		wait := fmt.Sprintf("wait %s: GatewayClass %s Accepted", clusterconfig.WaitInstallReady, p.GatewayClass)
		if slices.Contains(p.StatusUnwritten, "GatewayClass") {
			wait = fmt.Sprintf("GatewayClass %s is not waited on: %s never writes its status", p.GatewayClass, cfg.Implementation.Name)
		}
		steps = append(steps, NewStep(
			PhaseInstall,
			fmt.Sprintf("create the cluster-scoped manifests of %s unless present; %s", rel(cfg, p.Install), wait),
			installManifests,
		))
	}
	return steps
}

// rel names a path relative to the config directory when it is inside it, for shorter plans.
func rel(cfg *config.Config, path string) string {
	if r, err := filepath.Rel(cfg.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// helmArgs is the helm command line of a release (without "helm"): upgrade --install, so a
// reused cluster is brought to the pinned version, or template for a template-only chart.
func helmArgs(cfg *config.Config, h config.HelmRelease, kubeconfig, kubeContext string) []string {
	var args []string
	if h.TemplateOnly {
		args = []string{"template", h.Release, h.Chart, "--version", h.Version, "--namespace", h.Namespace}
	} else {
		args = []string{"upgrade", "--install", h.Release, h.Chart, "--version", h.Version, "--namespace", h.Namespace, "--create-namespace"}
	}
	if h.Values != "" {
		args = append(args, "--values", rel(cfg, h.Values))
	}
	args = append(args, h.Args...)
	if !h.TemplateOnly {
		w, _ := cfg.Wait(clusterconfig.WaitInstallReady)
		args = append(args, "--wait", "--timeout", w.Timeout.String(), "--kubeconfig", kubeconfig)
		if kubeContext != "" {
			args = append(args, "--kube-context", kubeContext)
		}
	}
	return args
}

// helmRelease runs helm for one release. It runs helm itself rather than through
// e2e-framework's helm manager, which joins the arguments into one string for a shell-like
// parser and throws away the output that template needs.
func helmRelease(ctx context.Context, s *State, h config.HelmRelease) error {
	cmd := exec.CommandContext(ctx, Bin(s.Config, "helm"), helmArgs(s.Config, h, s.Kubeconfig, s.Context)...)
	cmd.Dir = s.Config.Dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	if !h.TemplateOnly {
		return nil
	}
	c, err := s.Client()
	if err != nil {
		return err
	}
	objs, err := createAll(ctx, c.Resources(), stdout.Bytes(), true)
	if err != nil {
		return fmt.Errorf("creating what %s renders: %w", h.Chart, err)
	}
	return awaitObjects(ctx, s.Config, c.Resources(), clusterconfig.WaitInstallReady, onlyKind(objs, "CustomResourceDefinition"), nil)
}

func onlyKind(objs []k8s.Object, kind string) []k8s.Object {
	var out []k8s.Object
	for _, o := range objs {
		if o.GetObjectKind().GroupVersionKind().Kind == kind {
			out = append(out, o)
		}
	}
	return out
}

// installCRDs creates the pinned Gateway API CRDs. CRDs that already exist are kept, but only
// if they are the same release: a reused cluster with other CRDs would test something else.
func installCRDs(ctx context.Context, s *State) error {
	dir := s.Config.Implementation.Cluster.GatewayAPI
	c, err := s.Client()
	if err != nil {
		return err
	}
	files, err := manifestFiles(dir)
	if err != nil {
		return err
	}
	var crds []k8s.Object
	for _, f := range files {
		data, err := readFileOr(f)
		if err != nil {
			return err
		}
		objs, err := createAll(ctx, c.Resources(), data, true)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		crds = append(crds, onlyKind(objs, "CustomResourceDefinition")...)
	}
	if err := awaitObjects(ctx, s.Config, c.Resources(), clusterconfig.WaitInstallReady, crds, nil); err != nil {
		return err
	}
	for _, want := range crds {
		got, err := getUnstructured(ctx, c.Resources(), gatewayCRD, "", want.GetName())
		if err != nil {
			return err
		}
		if g, w := got.GetAnnotations()[bundleVersion], want.GetAnnotations()[bundleVersion]; g != w {
			return fmt.Errorf(
				"CRD %s in the cluster is Gateway API %s, %s pins %s; delete the cluster (make kind-down) or set recreateOnMismatch",
				want.GetName(),
				g,
				dir,
				w,
			)
		}
	}
	return nil
}

func checkCRDs(ctx context.Context, s *State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	var objs []k8s.Object
	for _, name := range []string{
		"gatewayclasses.gateway.networking.k8s.io",
		"gateways.gateway.networking.k8s.io",
		"httproutes.gateway.networking.k8s.io",
	} {
		u, err := getUnstructured(ctx, c.Resources(), gatewayCRD, "", name)
		if err != nil {
			return fmt.Errorf(
				"the cluster has no CRD %s: install the Gateway API CRDs (fixtures/gateway-api) and the implementation first: %w",
				name,
				err,
			)
		}
		objs = append(objs, u)
	}
	return awaitObjects(ctx, s.Config, c.Resources(), clusterconfig.WaitInstallReady, objs, nil)
}

var gatewayClassGVK = schema.GroupVersionKind{Group: "gateway.networking.k8s.io", Version: "v1", Kind: "GatewayClass"}

func checkGatewayClass(ctx context.Context, s *State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	u, err := getUnstructured(ctx, c.Resources(), gatewayClassGVK, "", s.Config.Implementation.Cluster.GatewayClass)
	if err != nil {
		return fmt.Errorf(
			"GatewayClass %s: %w; is %s installed in this cluster?",
			s.Config.Implementation.Cluster.GatewayClass,
			err,
			s.Config.Implementation.Name,
		)
	}
	return awaitObjects(ctx, s.Config, c.Resources(), clusterconfig.WaitInstallReady, []k8s.Object{u}, nil)
}

var deploymentGVK = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}

func awaitController(ctx context.Context, s *State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	w := s.Config.Implementation.Cluster.Controller
	u := deploymentRef(w.Namespace, w.Deployment)
	return awaitObjects(ctx, s.Config, c.Resources(), clusterconfig.WaitInstallReady, []k8s.Object{u}, nil)
}

func deploymentRef(namespace, name string) k8s.Object {
	u := newRef(deploymentGVK, namespace, name)
	return u
}

// installManifests creates the profile's cluster-scoped manifests (templates over the same
// data as the fixtures, without a namespace) and waits for them.
func installManifests(ctx context.Context, s *State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	p := s.Config.Implementation.Cluster
	files, err := manifestFiles(p.Install)
	if err != nil {
		return err
	}
	var all []k8s.Object
	for _, f := range files {
		data, err := Render(f, NewFixtureData(s.Config, "", ""))
		if err != nil {
			return err
		}
		objs, err := createAll(ctx, c.Resources(), data, true)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		all = append(all, objs...)
	}
	// Kinds whose status the implementation never writes are created, not waited on.
	all = slices.DeleteFunc(all, func(o k8s.Object) bool {
		return slices.Contains(p.StatusUnwritten, o.GetObjectKind().GroupVersionKind().Kind)
	})
	return awaitObjects(ctx, s.Config, c.Resources(), clusterconfig.WaitInstallReady, all, p.PolicyKinds)
}
