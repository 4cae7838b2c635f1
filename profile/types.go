package profile

// The profile as written. The config decodes it strictly against these yaml tags, in this field
// order (the order of "allowed:" lists in errors); the json tags name the same keys for the JSON
// Schema. Relative paths resolve against the profile file's directory, or the repository's for
// a profile in tracegate's own profiles/.
type (
	// File is a profile file: one implementation under implementations.
	File struct {
		// Implementations holds exactly one implementation, by its name.
		Implementations map[string]Implementation `yaml:"implementations,omitempty" json:"implementations"`
	}
	// Implementation is implementations.<name>: what tracegate knows of a gateway and how it
	// runs it.
	Implementation struct {
		// Version is the implementation's version the profile describes, shown in the report.
		Version string `yaml:"version,omitempty" json:"version,omitempty"`
		// Features are the tracing features the implementation claims (SpanName, Propagation,
		// ...); the specs of the others are skipped and reported as not claimed.
		Features []string `yaml:"features,omitempty" json:"features,omitempty"`
		// ServiceName is the service.name its spans carry, checked by ResourceAttributes.
		ServiceName string `yaml:"serviceName,omitempty" json:"serviceName,omitempty"`
		// ResourceAttributes are resource attributes its spans carry, checked by
		// ResourceAttributes.
		ResourceAttributes map[string]string `yaml:"resourceAttributes,omitempty" json:"resourceAttributes,omitempty"`
		// Local runs the gateway as a child process on this machine (environments of type local).
		Local *Local `yaml:"local,omitempty" json:"local,omitempty"`
		// Cluster installs the implementation in a cluster (environments of type kind, kwok or
		// existing).
		Cluster *ClusterProfile `yaml:"cluster,omitempty" json:"cluster,omitempty"`
		// SpanNames are the names the gateway gives its server span.
		SpanNames SpanNames `yaml:"spanNames,omitempty" json:"spanNames,omitempty"`
		// AttributeNaming is the attribute names its spans use: semconv (the OpenTelemetry semantic
		// conventions, the default) or envoy (http.method, http.status_code "200").
		AttributeNaming string `yaml:"attributeNaming,omitempty" json:"attributeNaming,omitempty" jsonschema:"enum=semconv,enum=envoy"`
		// DeviationSets names the sets of known deviations (ginkgo.yaml's deviationSets) the
		// implementation shares, such as envoy or opentelemetry-go.
		DeviationSets []string `yaml:"deviationSets,omitempty" json:"deviationSets,omitempty"`
		// Deviations are its own known deviations: feature -> the spec's or table row's ID ->
		// declaration.
		Deviations map[string]map[string]Deviation `yaml:"deviations,omitempty" json:"deviations,omitempty"`
		// Project names the implementation in the conformance report.
		Project Project `yaml:"project,omitempty" json:"project,omitempty"`
	}
	// Deviation is a known deviation from a spec or table row: what its failure shows, and why.
	Deviation struct {
		// Seen are the differences the failure shows, each a piece of one (such as "got with
		// status UNSET"): every piece must be shown, and every difference matched by a piece.
		Seen []string `yaml:"seen,omitempty" json:"seen"`
		// Reason says what the implementation does instead, why, and where that was seen.
		Reason string `yaml:"reason,omitempty" json:"reason"`
	}
	// Project is implementations.<name>.project, as the Gateway API conformance report has it.
	Project struct {
		// Organization is who makes the implementation.
		Organization string `yaml:"organization,omitempty" json:"organization,omitempty"`
		// Project is the implementation's project name.
		Project string `yaml:"project,omitempty" json:"project,omitempty"`
		// URL is the project's home page.
		URL string `yaml:"url,omitempty" json:"url,omitempty"`
		// Contact lists whom to ask about the report.
		Contact []string `yaml:"contact,omitempty" json:"contact,omitempty"`
	}
	// SpanNames is implementations.<name>.spanNames: "{host}" stands for the request's host.
	SpanNames struct {
		// Default is the server span's name on a route without a decorator.
		Default string `yaml:"default,omitempty" json:"default,omitempty"`
		// Decorated is its name on the route the fixtures decorate.
		Decorated string `yaml:"decorated,omitempty" json:"decorated,omitempty"`
	}
	// Local is implementations.<name>.local: the gateway as a child process.
	Local struct {
		// Build is the command run once before the gateway starts (such as go build); none if
		// empty.
		Build []string `yaml:"build,omitempty" json:"build,omitempty"`
		// Command starts the gateway; {{.ConfigFile}} is the rendered config's path.
		Command []string `yaml:"command,omitempty" json:"command,omitempty"`
		// ConfigTemplate is the Go template of the gateway's config.
		ConfigTemplate string `yaml:"configTemplate,omitempty" json:"configTemplate,omitempty"`
		// ConfigName is the rendered config's file name.
		ConfigName string `yaml:"configName,omitempty" json:"configName,omitempty"`
		// Env are environment variables of the gateway's process.
		Env map[string]string `yaml:"env,omitempty" json:"env,omitempty"`
		// ReadyPath is the path that answers once the gateway is ready.
		ReadyPath string `yaml:"readyPath,omitempty" json:"readyPath,omitempty"`
		// Variants are differently configured gateways some specs need (sampling-zero, tracing-off), started
		// on first use.
		Variants map[string]Variant `yaml:"variants,omitempty" json:"variants,omitempty"`
		// H2C says the gateway speaks HTTP/2 without TLS, so the trace-context rows run over it too.
		H2C bool `yaml:"h2c,omitempty" json:"h2c,omitempty"`
	}
	// Variant is implementations.<name>.local.variants.<variant>.
	Variant struct {
		// Env are the variant's environment variables, over Local.Env.
		Env map[string]string `yaml:"env,omitempty" json:"env,omitempty"`
		// Unavailable, if set, says why the gateway cannot be configured as the variant (such as
		// a tracer that cannot be turned off): it is never started, and the specs that need it
		// are not applicable, with this reason. A variant with it has no env.
		Unavailable string `yaml:"unavailable,omitempty" json:"unavailable,omitempty"`
	}
)

// The implementation's cluster profile.
type (
	// ClusterProfile is implementations.<name>.cluster: how the implementation is installed in
	// a cluster and where its proxy runs.
	ClusterProfile struct {
		// GatewayClass is the GatewayClass the fixtures' Gateways name.
		GatewayClass string `yaml:"gatewayClass,omitempty" json:"gatewayClass,omitempty"`
		// GatewayAPI is the directory of the Gateway API CRDs installed first.
		GatewayAPI string `yaml:"gatewayAPI,omitempty" json:"gatewayAPI,omitempty"`
		// Helm are the Helm releases that install the implementation, in order.
		Helm []Helm `yaml:"helm,omitempty" json:"helm,omitempty"`
		// Install is a directory of manifests applied after the releases (the GatewayClass).
		Install string `yaml:"install,omitempty" json:"install,omitempty"`
		// Controller is the implementation's controller, waited on until it is available.
		Controller Workload `yaml:"controller,omitempty" json:"controller,omitempty"`
		// Fixtures are directories of templated manifests: Gateways, routes, policies.
		Fixtures []string `yaml:"fixtures,omitempty" json:"fixtures,omitempty"`
		// Gateway is the name of the fixtures' Gateway.
		Gateway string `yaml:"gateway,omitempty" json:"gateway,omitempty"`
		// Proxy is where the Gateway's proxy runs and listens.
		Proxy Proxy `yaml:"proxy,omitempty" json:"proxy,omitempty"`
		// PolicyKinds are the implementation's policy kinds, waited on until Accepted.
		PolicyKinds []string `yaml:"policyKinds,omitempty" json:"policyKinds,omitempty"`
		// Variants name the Gateway of each variant (sampling-zero).
		Variants map[string]string `yaml:"variants,omitempty" json:"variants,omitempty"`
		// KubernetesVersions are the Kubernetes versions (major.minor) the release supports.
		KubernetesVersions []string `yaml:"kubernetesVersions,omitempty" json:"kubernetesVersions,omitempty"`
		// KubernetesVersionsSource says where KubernetesVersions was read.
		KubernetesVersionsSource string `yaml:"kubernetesVersionsSource,omitempty" json:"kubernetesVersionsSource,omitempty"`
		// ExportDelay is how late its proxies export a span where the fixtures cannot lower it.
		ExportDelay Duration `yaml:"exportDelay,omitempty" json:"exportDelay,omitempty"`
		// Types are the keys environment types own (kind's localBuild, kwok's kwok), each decoded
		// by the type's package.
		Types map[string]Raw `yaml:"-" json:"-" decode:"extra"`
		// StatusUnwritten are kinds whose status the implementation never writes: created, not
		// waited on.
		StatusUnwritten []string `yaml:"statusUnwritten,omitempty" json:"statusUnwritten,omitempty"`
	}
	// Helm is a Helm release of implementations.<name>.cluster.helm.
	Helm struct {
		// Release is the release's name.
		Release string `yaml:"release,omitempty" json:"release"`
		// Chart is the chart: a repository reference (oci://...) or a directory.
		Chart string `yaml:"chart,omitempty" json:"chart"`
		// Version is the chart's version.
		Version string `yaml:"version,omitempty" json:"version,omitempty"`
		// Namespace is the release's namespace.
		Namespace string `yaml:"namespace,omitempty" json:"namespace,omitempty"`
		// Values is a values file.
		Values string `yaml:"values,omitempty" json:"values,omitempty"`
		// Args are more helm arguments.
		Args []string `yaml:"args,omitempty" json:"args,omitempty"`
		// TemplateOnly renders the chart and creates its objects instead of installing a release.
		TemplateOnly bool `yaml:"templateOnly,omitempty" json:"templateOnly,omitempty"`
	}
	// Workload is implementations.<name>.cluster.controller: a Deployment.
	Workload struct {
		// Namespace is the Deployment's namespace.
		Namespace string `yaml:"namespace,omitempty" json:"namespace,omitempty"`
		// Deployment is the Deployment's name.
		Deployment string `yaml:"deployment,omitempty" json:"deployment,omitempty"`
	}
	// Proxy is implementations.<name>.cluster.proxy: the Gateway's proxy pods.
	Proxy struct {
		// Namespace is where the proxy pods run; {{.Namespace}} is the run's namespace.
		Namespace string `yaml:"namespace,omitempty" json:"namespace,omitempty"`
		// Selector is the label selector of the Gateway's proxy pods ({{.Gateway}}, {{.Namespace}}).
		Selector string `yaml:"selector,omitempty" json:"selector,omitempty"`
		// Port is the port the proxy listens on for the Gateway's listener.
		Port int `yaml:"port,omitempty" json:"port,omitempty"`
		// AdminPort is the proxy's admin port, 0 for none.
		AdminPort int `yaml:"adminPort,omitempty" json:"adminPort,omitempty"`
	}
)
