package config

import (
	"slices"
	"strings"
	"time"
)

// Cluster is how an environment of a cluster type reaches its cluster (Config.Cluster; nil for
// a local environment): the keys every cluster type shares, and the type's own settings.
type Cluster struct {
	// Settings are the type's own (environments.<name>.cluster), as its package built them
	// (Section.Build); its package reads them (kindconfig.Settings). Nil for a type without a section.
	Settings ClusterSettings
	// Keep leaves what the run created up after it: the run's namespace, and the cluster when
	// the run created it (E2E_KEEP=1, or the type's cluster.keep; DEBUG=1 keeps them too).
	Keep bool
	// Kubeconfig and Context select an existing cluster; "" means $KUBECONFIG (or
	// ~/.kube/config) and its current context. Unused for kind, which writes its own kubeconfig.
	Kubeconfig string
	Context    string
	// Receiver is where the suite's OTLP receiver listens for the in-cluster gateway.
	Receiver Receiver
	// NamespacePrefix names the namespace each run creates for its fixtures: <prefix>-<random>.
	NamespacePrefix string
	// EchoImage is the suite's echo upstream (cmd/echo) as an image the cluster can pull
	// (E2E_ECHO_IMAGE; make echo-image builds one), for a cluster the suite loads no image
	// into (existing). "" runs Gateway API's echo server there, and the rows that need the
	// suite's echo are not applicable (UpstreamLimit). A type that loads its own (kind) or runs
	// the echo itself (kwok) ignores it.
	EchoImage string
}

// ReceiverAuto binds the receiver to the address found at run time: the kind network's gateway
// for kind, this machine's address on the route to the API server for existing, the address of
// the run's network namespace for kwok.
const ReceiverAuto = "auto"

// Receiver is where the suite's OTLP receiver listens for spans from inside the cluster.
type Receiver struct {
	// Bind is the address the receiver listens on: ReceiverAuto, or an IP of this machine.
	Bind string
	// Advertise is the IP the cluster sends spans to, written into the tracegate-otlp
	// EndpointSlice; "" means the bound address. Docker Desktop needs its host address here.
	Advertise string
	// Port is the OTLP/gRPC port; 0 picks a free one.
	Port int
}

// ClusterProfile is how an implementation is installed and reached in a cluster
// (implementations.<name>.cluster). Paths are absolute.
type ClusterProfile struct {
	GatewayClass string // the GatewayClass the fixtures' Gateways use
	// GatewayAPI is the directory of the Gateway API CRDs installed before Helm runs; "" skips them.
	GatewayAPI string
	Helm       []HelmRelease // installed in this order (kind only; existing skips installation)
	// Install is the directory of cluster-scoped manifests applied after Helm (a GatewayClass);
	// "" for none. Kind only.
	Install string
	// Controller is the implementation's controller, waited on and logged on failure.
	Controller Workload
	// Fixtures are directories of templated manifests applied, in this order, into the run's
	// namespace.
	Fixtures []string
	// Gateway is the name of the fixtures' main Gateway.
	Gateway string
	// Proxy is how the data plane of a Gateway is found for port-forwards and logs.
	Proxy Proxy
	// PolicyKinds are the kinds of implementation policies in the fixtures whose status must
	// report Accepted before specs run (e.g. BackendTrafficPolicy).
	PolicyKinds []string
	// Variants map a variant name (e.g. "sampling-zero") to the Gateway in the fixtures that
	// serves it.
	Variants map[string]string
	// Kubernetes is the support window of the implementation's release: a kind cluster of a
	// version outside it is refused before anything starts.
	Kubernetes SupportWindow
	// ExportDelay is how late the implementation's proxies export a span when its fixtures
	// cannot set the flush interval (kgateway keeps Envoy's 5 s); 0 when they set it to the
	// environment's exportDelay. A cluster environment's exportDelay is the larger of the two.
	ExportDelay time.Duration
	// StatusUnwritten are the kinds of its install manifests whose status the implementation
	// never writes (Contour in static mode: GatewayClass): created, not waited on.
	StatusUnwritten []string
}

// SupportWindow is the Kubernetes minor versions an implementation's release supports, as its
// project publishes them (implementations.<name>.cluster.kubernetesVersions and
// kubernetesVersionsSource).
type SupportWindow struct {
	Versions []string // major.minor, such as "1.36"
	Source   string   // where the project publishes the window
}

// Supports reports whether version (major.minor) is in the window.
func (w SupportWindow) Supports(version string) bool { return slices.Contains(w.Versions, version) }

// String is the window for a message: "Kubernetes 1.33, 1.34 (source: ...)".
func (w SupportWindow) String() string {
	return "Kubernetes " + strings.Join(w.Versions, ", ") + " (source: " + w.Source + ")"
}

// HelmRelease is one Helm chart of an implementation, at a pinned version.
type HelmRelease struct {
	Release   string
	Chart     string // e.g. oci://docker.io/envoyproxy/gateway-helm
	Version   string
	Namespace string
	Values    string   // absolute path of a values file, or ""
	Args      []string // extra helm arguments, e.g. [--set, crds.enabled=false]
	// TemplateOnly renders the chart with helm template and creates what it renders, for CRD
	// charts too large for a Helm release.
	TemplateOnly bool
}

// Workload names a Deployment.
type Workload struct {
	Namespace  string
	Deployment string
}

// Proxy finds the pods of a Gateway's data plane. Namespace and Selector are Go templates over
// {{.Gateway}} and {{.Namespace}} (the run's namespace).
type Proxy struct {
	Namespace string // "" means the run's namespace
	Selector  string // a label selector
	Port      int    // the container port the Gateway's listener is served on
	AdminPort int    // the Envoy admin port for /config_dump on failure; 0: none
}

// The placeholders spanNames.default accepts besides a literal name.
const (
	// SpanNameHost means "the Host header of the request".
	SpanNameHost = "{host}"
	// SpanNameMethod means "the request's method", such as GET: the name the OpenTelemetry HTTP
	// conventions recommend for a server span without a route template ("{method}").
	SpanNameMethod = "{method}"
)

// spanNamePlaceholders are the placeholders spanNames.default accepts.
var spanNamePlaceholders = []string{SpanNameHost, SpanNameMethod}

// SpanNames is what an implementation names its server span.
type SpanNames struct {
	// Default is the name without a route decorator: SpanNameHost, SpanNameMethod or a literal
	// such as "ingress".
	Default string
	// Decorated is the name a decorated route gives, or "" when the implementation has no
	// route-level span name.
	Decorated string
}

// DefaultFor is the default span name of a request with this Host header and method.
func (n SpanNames) DefaultFor(host, method string) string {
	switch n.Default {
	case SpanNameHost:
		return host
	case SpanNameMethod:
		return method
	}
	return n.Default
}

// The attribute namings implementations.<name>.attributeNaming accepts.
const (
	AttributeNamingSemconv = "semconv" // http.request.method, http.response.status_code (int), url.path
	AttributeNamingEnvoy   = "envoy"   // http.method, http.status_code ("200"), http.url
)
