package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/e2e-framework/klient/k8s"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
	"github.com/tracegate/tracegate/internal/render"
)

// OTLPService is the selector-less Service in the run's namespace whose EndpointSlice points at
// the suite's receiver; an implementation's tracing configuration names it as its backend.
const OTLPService = "tracegate-otlp"

// OTLPServicePort is the port of OTLPService (the OTLP/gRPC default); the EndpointSlice maps it
// to whatever port the receiver listens on.
const OTLPServicePort = 4317

// FixtureData is what fixture templates (*.yaml.tmpl) are rendered with.
type FixtureData struct {
	Namespace    string // the run's namespace ("" when rendering cluster-scoped install manifests)
	GatewayClass string
	Gateway      string            // the main Gateway's name
	Variants     map[string]string // variant name -> Gateway name
	OTLPService  string
	OTLPPort     int
	ReceiverIP   string // the address the cluster sends spans to
	ReceiverPort int
	// ExportDelayMillis is the environment's exportDelay: how long a proxy may hold a span
	// before exporting it (Envoy's tracing.opentelemetry.flush_interval_ms).
	ExportDelayMillis int64
	// RefusedPort is a port on ReceiverIP where every connection is refused: the StatusMatrix
	// feature's refusing upstream (0 before the receiver runs).
	RefusedPort int
	// EchoImage and EchoPullPolicy are the echo upstream's image: the one a clusterconfig.EchoLoader
	// loads into its nodes (kind), else Gateway API's echo server (existing).
	EchoImage, EchoPullPolicy string
	// ServiceName and ResourceAttributes come from the implementation profile.
	ServiceName        string
	ResourceAttributes map[string]string
	// Source holds the values an overlay needs that only the run knows (Overlayer), such as
	// kwok's listener ports; nil when rendering the profile's own fixtures.
	Source map[string]any
}

// ExistingEchoImage is the echo upstream in an existing cluster, where the suite loads no image,
// unless config.Cluster.EchoImage names the suite's own.
const ExistingEchoImage = "registry.k8s.io/gateway-api/echo-basic:v1.5.1"

// NewFixtureData builds the template data of a run; advertised is the receiver's address:port
// as the cluster reaches it ("" before the receiver runs).
func NewFixtureData(cfg *config.Config, namespace, advertised string) FixtureData {
	p := cfg.Implementation.Cluster
	d := FixtureData{
		Namespace: namespace, GatewayClass: p.GatewayClass, Gateway: p.Gateway, Variants: maps.Clone(p.Variants),
		OTLPService: OTLPService, OTLPPort: OTLPServicePort, ExportDelayMillis: cfg.Environment.ExportDelay.Milliseconds(),
		ServiceName: cfg.Implementation.ServiceName, ResourceAttributes: maps.Clone(cfg.Implementation.ResourceAttributes),
		EchoImage: ExistingEchoImage, EchoPullPolicy: "IfNotPresent",
	}
	if l, ok := config.SettingsOf[clusterconfig.EchoLoader](cfg); ok {
		d.EchoImage, d.EchoPullPolicy = l.EchoImage(), "Never"
	} else if cfg.Cluster != nil && cfg.Cluster.EchoImage != "" {
		d.EchoImage = cfg.Cluster.EchoImage // the suite's echo, from a registry the cluster pulls from
	}
	if host, port, ok := strings.Cut(advertised, ":"); ok {
		d.ReceiverIP = host
		d.ReceiverPort, _ = strconv.Atoi(port)
	}
	return d
}

// Render returns a fixture file: a *.yaml.tmpl rendered with data (a missing key is an
// error), any other file as it is.
func Render(path string, data FixtureData) ([]byte, error) {
	text, err := readFileOr(path)
	if err != nil || !strings.HasSuffix(path, ".tmpl") {
		return text, err
	}
	t, err := render.Parse(filepath.Base(path), string(text), templateFuncs)
	if err != nil {
		return nil, fmt.Errorf("fixture template %s: %w", path, err)
	}
	out, err := render.Execute(t, data)
	if err != nil {
		return nil, fmt.Errorf("rendering fixture %s: %w", path, err)
	}
	return out, nil
}

// RenderFile renders the Go template in the file at path with data, a missing key being an
// error: for the config files a cluster's tools read (kind's cluster config, kwokctl's, Envoy
// Gateway's).
func RenderFile(path string, data any) ([]byte, error) {
	return render.File(path, data, nil)
}

// fixtureSteps create the run's namespace and apply the fixtures into it.
func (p *Provider) fixtureSteps(src SourceSteps) []Step {
	cfg := p.Config
	prof := cfg.Implementation.Cluster
	var files []string
	for _, d := range prof.Fixtures {
		names, _ := manifestFiles(d)
		for i := range names {
			names[i] = filepath.Base(names[i])
		}
		files = append(files, fmt.Sprintf("%s/{%s}", rel(cfg, d), strings.Join(names, ", ")))
	}
	if ov, ok := p.Source.(Overlayer); ok && ov.Overlay(cfg) != "" {
		files = append(files, fmt.Sprintf("with the overlay %s (documents marked add, merge or remove)", rel(cfg, ov.Overlay(cfg))))
	}
	gateways := []string{prof.Gateway}
	for _, v := range slices.Sorted(maps.Keys(prof.Variants)) {
		gateways = append(gateways, prof.Variants[v])
	}
	policies := "HTTPRoutes Accepted and ResolvedRefs"
	if len(prof.PolicyKinds) > 0 {
		policies += fmt.Sprintf("; %s Accepted", strings.Join(prof.PolicyKinds, ", "))
	}
	steps := []Step{
		NewStep(PhaseFixtures, fmt.Sprintf("create namespace %s-<random>", cfg.Cluster.NamespacePrefix), createNamespace),
		NewStep(PhaseFixtures, fmt.Sprintf("create %s in it, in order (Service %s points at the receiver)",
			strings.Join(files, ", "), OTLPService), p.applyFixtures),
	}
	steps = append(steps, src.Started...)
	steps = append(steps,
		NewStep(
			PhaseFixtures,
			fmt.Sprintf("wait %s: Gateways %s Programmed, Deployments Available", clusterconfig.WaitGatewayProgrammed, strings.Join(gateways, ", ")),
			awaitGateways,
		),
		NewStep(PhaseFixtures, fmt.Sprintf("wait %s: %s", clusterconfig.WaitRouteAccepted, policies), awaitRoutes),
	)
	steps = append(steps, src.Ready...)
	return steps
}

func createNamespace(ctx context.Context, s *State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	suffix := make([]byte, 3)
	_, _ = rand.Read(suffix)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		Name:   s.Config.Cluster.NamespacePrefix + "-" + hex.EncodeToString(suffix),
		Labels: map[string]string{"app.kubernetes.io/managed-by": "tracegate"},
	}}
	if err := c.Resources().Create(ctx, ns); err != nil {
		return fmt.Errorf("creating namespace %s: %w", ns.Name, err)
	}
	s.Namespace = ns.Name
	fmt.Fprintf(s.Log, "tracegate: the run's namespace is %s\n", ns.Name)
	return nil
}

// applied are the fixtures the run created, for the waits after them.
type applied struct{ objs []k8s.Object }

func (s *State) fixtures() *applied {
	if s.applied == nil {
		s.applied = &applied{}
	}
	return s.applied
}

// ObjectRef names an object the run created, for the artifacts of every process.
type ObjectRef struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

func (r ObjectRef) String() string {
	if r.Namespace != "" {
		return fmt.Sprintf("%s %s/%s", r.Kind, r.Namespace, r.Name)
	}
	return fmt.Sprintf("%s %s", r.Kind, r.Name)
}

// refs names the fixtures the run created.
func (a *applied) refs() []ObjectRef {
	var out []ObjectRef
	for _, o := range a.objs {
		gvk := o.GetObjectKind().GroupVersionKind()
		out = append(out, ObjectRef{APIVersion: gvk.GroupVersion().String(), Kind: gvk.Kind, Namespace: o.GetNamespace(), Name: o.GetName()})
	}
	return out
}

// applyFixtures creates the fixtures, one object after the other in file order, so that an
// object another refers to (an EnvoyProxy a Gateway names) is there first.
func (p *Provider) applyFixtures(ctx context.Context, s *State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	objs, err := p.fixtureObjects(s)
	if err != nil {
		return err
	}
	for _, o := range objs {
		if err := c.Resources().Create(ctx, o); err != nil {
			return fmt.Errorf("creating %s: %w", describeObject(o), err)
		}
		s.fixtures().objs = append(s.fixtures().objs, o)
	}
	return nil
}

// fixtureObjects renders the profile's fixtures into the run's namespace, in file order, with
// the Source's overlay applied.
func (p *Provider) fixtureObjects(s *State) ([]*unstructured.Unstructured, error) {
	data := NewFixtureData(s.Config, s.Namespace, s.advertised)
	if s.refused != nil {
		_, port, _ := net.SplitHostPort(s.refused.Addr)
		data.RefusedPort, _ = strconv.Atoi(port)
	}
	ov, ok := p.Source.(Overlayer)
	if !ok {
		return FixtureObjects(s.Config, data, "")
	}
	var err error
	if data.Source, err = ov.OverlayValues(s); err != nil {
		return nil, err
	}
	return FixtureObjects(s.Config, data, ov.Overlay(s.Config))
}

// FixtureObjects renders the profile's fixtures into data.Namespace, in file order, and applies
// the overlay file (rendered with the same data) when one is given.
func FixtureObjects(cfg *config.Config, data FixtureData, overlay string) ([]*unstructured.Unstructured, error) {
	var objs []*unstructured.Unstructured
	err := renderFixtures(cfg, data, func(f string, text []byte) error {
		docs, err := decodeDocuments(text)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, d := range docs {
			d.SetNamespace(data.Namespace)
		}
		objs = append(objs, docs...)
		return nil
	})
	if err != nil || overlay == "" {
		return objs, err
	}
	text, err := Render(overlay, data)
	if err != nil {
		return nil, err
	}
	docs, err := decodeDocuments(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", overlay, err)
	}
	if objs, err = ApplyOverlay(objs, docs, data.Namespace); err != nil {
		return nil, fmt.Errorf("%s: %w", overlay, err)
	}
	return objs, nil
}

// renderFixtures renders every manifest of the profile's fixture directories, in order, and
// hands each to use.
func renderFixtures(cfg *config.Config, data FixtureData, use func(file string, text []byte) error) error {
	for _, dir := range cfg.Implementation.Cluster.Fixtures {
		files, err := manifestFiles(dir)
		if err != nil {
			return err
		}
		for _, f := range files {
			text, err := Render(f, data)
			if err != nil {
				return err
			}
			if err := use(f, text); err != nil {
				return err
			}
		}
	}
	return nil
}

func awaitGateways(ctx context.Context, s *State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	var objs []k8s.Object
	for _, o := range s.fixtures().objs {
		if k := o.GetObjectKind().GroupVersionKind().Kind; k == "Gateway" || k == "Deployment" {
			objs = append(objs, o)
		}
	}
	return awaitObjects(ctx, s.Config, c.Resources(), clusterconfig.WaitGatewayProgrammed, objs, nil)
}

func awaitRoutes(ctx context.Context, s *State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	var objs []k8s.Object
	for _, o := range s.fixtures().objs {
		if k := o.GetObjectKind().GroupVersionKind().Kind; k != "Gateway" && k != "Deployment" {
			objs = append(objs, o)
		}
	}
	return awaitObjects(ctx, s.Config, c.Resources(), clusterconfig.WaitRouteAccepted, objs, s.Config.Implementation.Cluster.PolicyKinds)
}

// deleteNamespace removes the run's namespace and so everything the run created in it, and
// what it created elsewhere, unless debug mode or E2E_KEEP keeps them for a person to look at.
func deleteNamespace(ctx context.Context, s *State) error {
	if s.Namespace == "" {
		return nil
	}
	if s.Config.Debug.Enabled || s.Config.Cluster.Keep {
		fmt.Fprintf(
			s.Log,
			"tracegate: keeping namespace %s (%s): %s\n",
			s.Namespace,
			keptBy(s.Config),
			kubectl(s.Kubeconfig, s.Context, "delete", "namespace", s.Namespace),
		)
		return nil
	}
	c, err := s.Client()
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range s.fixtures().objs {
		if o.GetNamespace() != s.Namespace {
			if err := c.Resources().Delete(ctx, o); err != nil && !apierrors.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("deleting %s: %w", describeObject(o), err))
			}
		}
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: s.Namespace}}
	if err := c.Resources().Delete(ctx, ns); err != nil {
		errs = append(errs, fmt.Errorf("deleting namespace %s: %w", s.Namespace, err))
	}
	return errors.Join(errs...)
}

// keptBy says which setting keeps what a run created.
func keptBy(cfg *config.Config) string {
	if cfg.Debug.Enabled {
		return "DEBUG=1"
	}
	return "E2E_KEEP=1 or cluster.keep"
}

// kubectl is a kubectl command line for people to copy.
func kubectl(kubeconfig, kubeContext string, args ...string) string {
	cmd := []string{"kubectl"}
	if kubeconfig != "" {
		cmd = append(cmd, "--kubeconfig", kubeconfig)
	}
	if kubeContext != "" {
		cmd = append(cmd, "--context", kubeContext)
	}
	return strings.Join(append(cmd, args...), " ")
}

// newRef is an object reference of a kind, for reading its status.
func newRef(gvk schema.GroupVersionKind, namespace, name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(gvk)
	u.SetNamespace(namespace)
	u.SetName(name)
	return u
}
