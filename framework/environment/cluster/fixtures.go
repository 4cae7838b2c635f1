package cluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/e2e-framework/klient/decoder"
	"sigs.k8s.io/e2e-framework/klient/k8s"

	"github.com/tracegate/tracegate/framework/config"
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
	// ServiceName and ResourceAttributes come from the implementation profile.
	ServiceName        string
	ResourceAttributes map[string]string
}

// NewFixtureData builds the template data of a run; advertised is the receiver's address:port
// as the cluster reaches it ("" before the receiver runs).
func NewFixtureData(cfg *config.Config, namespace, advertised string) FixtureData {
	p := cfg.Implementation.Cluster
	d := FixtureData{
		Namespace: namespace, GatewayClass: p.GatewayClass, Gateway: p.Gateway, Variants: maps.Clone(p.Variants),
		OTLPService: OTLPService, OTLPPort: OTLPServicePort,
		ServiceName: cfg.Implementation.ServiceName, ResourceAttributes: maps.Clone(cfg.Implementation.ResourceAttributes),
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
	t, err := template.New(filepath.Base(path)).Option("missingkey=error").Funcs(templateFuncs).Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("fixture template %s: %w", path, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("rendering fixture %s: %w", path, err)
	}
	return b.Bytes(), nil
}

// templateFuncs are the functions fixture templates may use besides text/template's own.
var templateFuncs = template.FuncMap{
	// dict builds a map from key, value pairs, to pass several values to a template.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict needs key, value pairs, got %d arguments", len(kv))
		}
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	// keys returns the keys of a map in order, for output that does not change between runs.
	"keys": func(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) },
}

// fixtureSteps create the run's namespace and apply the fixtures into it.
func fixtureSteps(cfg *config.Config) []Step {
	p := cfg.Implementation.Cluster
	var files []string
	for _, d := range p.Fixtures {
		names, _ := manifestFiles(d)
		for i := range names {
			names[i] = filepath.Base(names[i])
		}
		files = append(files, fmt.Sprintf("%s/{%s}", rel(cfg, d), strings.Join(names, ", ")))
	}
	gateways := []string{p.Gateway}
	for _, v := range slices.Sorted(maps.Keys(p.Variants)) {
		gateways = append(gateways, p.Variants[v])
	}
	policies := "HTTPRoutes Accepted and ResolvedRefs"
	if len(p.PolicyKinds) > 0 {
		policies += fmt.Sprintf("; %s Accepted", strings.Join(p.PolicyKinds, ", "))
	}
	return []Step{
		NewStep(PhaseFixtures, fmt.Sprintf("create namespace %s-<random>", cfg.Cluster.NamespacePrefix), createNamespace),
		NewStep(PhaseFixtures, fmt.Sprintf("create with e2e-framework's decoder into that namespace: %s (Service %s and its EndpointSlice point at the receiver)",
			strings.Join(files, ", "), OTLPService), applyFixtures),
		NewStep(PhaseFixtures, fmt.Sprintf("wait %s: Gateways %s Programmed, Deployments Available", config.WaitGatewayProgrammed, strings.Join(gateways, ", ")), awaitGateways),
		NewStep(PhaseFixtures, fmt.Sprintf("wait %s: %s", config.WaitRouteAccepted, policies), awaitRoutes),
	}
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

func applyFixtures(ctx context.Context, s *State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	return renderFixtures(s.Config, NewFixtureData(s.Config, s.Namespace, s.advertised), func(f string, text []byte) error {
		objs, err := createAll(ctx, c.Resources(s.Namespace), text, false, decoder.MutateNamespace(s.Namespace))
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		s.fixtures().objs = append(s.fixtures().objs, objs...)
		return nil
	})
}

// renderFixtures renders every manifest of the profile's fixture directories, in order, and
// hands each to use: the same walk creates the fixtures and, on failure, dumps their state.
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
	return awaitObjects(ctx, s.Config, c.Resources(), config.WaitGatewayProgrammed, objs, nil)
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
	return awaitObjects(ctx, s.Config, c.Resources(), config.WaitRouteAccepted, objs, s.Config.Implementation.Cluster.PolicyKinds)
}

// deleteNamespace removes the run's namespace and so everything the run created in it, unless
// debug mode keeps it for a person to look at.
func deleteNamespace(ctx context.Context, s *State) error {
	if s.Namespace == "" {
		return nil
	}
	if s.Config.Debug.Enabled {
		fmt.Fprintf(s.Log, "tracegate: DEBUG keeps namespace %s: %s\n", s.Namespace, kubectl(s.Kubeconfig, s.Context, "delete", "namespace", s.Namespace))
		return nil
	}
	c, err := s.Client()
	if err != nil {
		return err
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: s.Namespace}}
	if err := c.Resources().Delete(ctx, ns); err != nil {
		return fmt.Errorf("deleting namespace %s: %w", s.Namespace, err)
	}
	return nil
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
