package config

import (
	"fmt"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
)

var attributeNamings = []string{AttributeNamingSemconv, AttributeNamingEnvoy}

var (
	minorVersion = regexp.MustCompile(`^[1-9][0-9]*\.[0-9]+$`)
	// A kind node image pinned by digest, e.g. kindest/node:v1.34.3@sha256:<64 hex>.
	nodeImage = regexp.MustCompile(`^[a-z0-9./_-]+:v([0-9]+\.[0-9]+)\.[0-9]+@sha256:[0-9a-f]{64}$`)
	dnsLabel  = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	// A kubernetes kind name, as in policyKinds.
	kindName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
)

// clusterTypes are the environment types that run in a cluster.
var clusterTypes = []string{"kind", "existing"}

// checkClusterEnvironment validates the cluster keys of environments.<name>: they are required
// or allowed by the environment's type.
func (r *resolver) checkClusterEnvironment(base string, e spec.Environment) {
	inCluster := slices.Contains(clusterTypes, e.Type)
	for _, key := range []string{"cluster", "receiver", "kubeconfig", "context", "namespacePrefix"} {
		if r.Set(base+"."+key) && !inCluster && e.Type != "" {
			r.Field(base+"."+key, "only environments of type kind or existing take %s; this one is of type %s", key, e.Type)
		}
	}
	if !inCluster {
		return
	}
	if impl, ok := r.file.Implementations[e.Implementation]; ok && impl.Cluster == nil {
		r.Field(base+".implementation", "implementation %q has no cluster profile (implementations.%s.cluster), which an environment of type %s needs",
			e.Implementation, e.Implementation, e.Type)
	}
	if e.OTLPProtocol != "grpc" {
		r.Field(base+".otlpProtocol", "%q is not allowed for type %s; allowed: grpc (the in-cluster tracegate-otlp Service points at the receiver's OTLP/gRPC port, and Envoy exports OTLP/gRPC only)",
			e.OTLPProtocol, e.Type)
	}
	if !dnsLabel.MatchString(e.NamespacePrefix) || len(e.NamespacePrefix) > 40 {
		r.Field(base+".namespacePrefix", "%q is not allowed; use lowercase letters, digits and '-', at most 40 characters, such as tracegate", e.NamespacePrefix)
	}
	r.checkReceiver(base+".receiver", e)
	switch e.Type {
	case "kind":
		for _, key := range []string{"kubeconfig", "context"} {
			if r.Set(base + "." + key) {
				r.Field(base+"."+key, "not allowed for type kind: kind writes the kubeconfig of the cluster it creates")
			}
		}
		if e.Cluster == nil {
			r.Field(base+".cluster", "required for type kind: {name, kubernetesVersion, nodeImages, config}")
			return
		}
		r.checkKindCluster(base+".cluster", *e.Cluster)
	case "existing":
		if e.Cluster != nil {
			r.Field(base+".cluster", "not allowed for type existing: the cluster comes from kubeconfig and context")
		}
		if e.Kubeconfig != "" {
			if _, err := os.Stat(expandHome(e.Kubeconfig)); err != nil {
				r.Field(base+".kubeconfig", "%v; leave it empty to use $KUBECONFIG or ~/.kube/config", err)
			}
		}
	}
}

func (r *resolver) checkReceiver(base string, e spec.Environment) {
	rc := e.Receiver
	if rc.Bind == ReceiverAuto {
		// kind: the kind network's gateway; existing: this machine's address on the route to
		// the API server. Both are found at run time.
	} else if ip, err := netip.ParseAddr(rc.Bind); err != nil {
		r.Field(base+".bind", "%q is not allowed; allowed: %s or an IP address of this machine", rc.Bind, ReceiverAuto)
	} else if ip.IsUnspecified() {
		r.Field(base+".bind", "%q listens on every interface; bind only the address the cluster reaches (%s finds it for kind)", rc.Bind, ReceiverAuto)
	}
	if rc.Advertise != "" {
		if ip, err := netip.ParseAddr(rc.Advertise); err != nil || ip.IsUnspecified() || ip.IsLoopback() {
			r.Field(base+".advertise", "%q is not allowed; use the IP address the cluster's pods send spans to (an EndpointSlice holds it), or leave it empty for the bound address", rc.Advertise)
		}
	} else if ip, err := netip.ParseAddr(rc.Bind); err == nil && ip.IsLoopback() {
		r.Field(base+".advertise", "required when bind is a loopback address (%s): pods cannot reach it; on Docker Desktop give the address host.docker.internal resolves to in the cluster's nodes", rc.Bind)
	}
	if rc.Port < 0 || rc.Port > 65535 {
		r.Field(base+".port", "%d is not allowed; allowed: 0 (a free port) to 65535", rc.Port)
	}
}

func (r *resolver) checkKindCluster(base string, k spec.KindCluster) {
	if !dnsLabel.MatchString(k.Name) || len(k.Name) > 50 {
		r.Field(base+".name", "%q is not allowed; use lowercase letters, digits and '-', such as tracegate", k.Name)
	}
	for _, v := range slices.Sorted(maps.Keys(k.NodeImages)) {
		path := spec.Join(base+".nodeImages", v)
		m := nodeImage.FindStringSubmatch(k.NodeImages[v])
		switch {
		case !minorVersion.MatchString(v):
			r.Field(path, "%q is not a Kubernetes version; use major.minor such as \"1.34\"", v)
		case m == nil:
			r.Field(path, "%q is not a node image pinned by digest; use kindest/node:v<version>@sha256:<digest>, as listed in kind's release notes", k.NodeImages[v])
		case m[1] != v:
			r.Field(path, "image %q is Kubernetes %s, not %s", k.NodeImages[v], m[1], v)
		}
	}
	switch _, ok := k.NodeImages[k.KubernetesVersion]; {
	case k.KubernetesVersion == "":
		r.Field(base+".kubernetesVersion", "required; allowed: %s", list(slices.Sorted(maps.Keys(k.NodeImages))))
	case !ok:
		r.Field(base+".kubernetesVersion", "%q has no node image; allowed: %s (add it to nodeImages)", k.KubernetesVersion, list(slices.Sorted(maps.Keys(k.NodeImages))))
	}
	r.checkTemplateFile(base+".config", k.Config)
}

// checkTemplateFile checks that a template file named relative to the config file exists and
// parses.
func (r *resolver) checkTemplateFile(path, name string) {
	if name == "" {
		r.Field(path, "required: a file, relative to the directory of %s", r.abs)
		return
	}
	file := absolute(filepath.Dir(r.abs), name)
	text, err := os.ReadFile(file)
	switch {
	case os.IsNotExist(err):
		r.Field(path, "%s does not exist (a relative path is resolved against %s)", file, filepath.Dir(r.abs))
	case err != nil:
		r.Field(path, "%v", err)
	default:
		r.checkTemplate(path, string(text))
	}
}

// checkDir checks that a directory named relative to the config file exists and holds YAML.
func (r *resolver) checkDir(path, name string) {
	dir := absolute(filepath.Dir(r.abs), name)
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml*"))
	if fi, statErr := os.Stat(dir); statErr != nil || !fi.IsDir() {
		r.Field(path, "%s is not a directory (a relative path is resolved against %s)", dir, filepath.Dir(r.abs))
	} else if err != nil || len(files) == 0 {
		r.Field(path, "%s holds no .yaml or .yaml.tmpl file", dir)
	}
}

// checkImplementationNaming validates spanNames and attributeNaming, which every
// implementation has (local ones too).
func (r *resolver) checkImplementationNaming(base string, impl spec.Implementation) {
	if impl.SpanNames.Default == "" {
		r.Field(base+".spanNames.default", "must not be empty; use %q for the Host header or the literal name, such as ingress", SpanNameHost)
	}
	if !slices.Contains(attributeNamings, impl.AttributeNaming) {
		r.Field(base+".attributeNaming", "%q is not allowed; allowed: %s", impl.AttributeNaming, list(attributeNamings))
	}
}

// checkClusterProfile validates implementations.<name>.cluster.
func (r *resolver) checkClusterProfile(base string, p *spec.ClusterProfile) {
	if p == nil {
		return
	}
	base += ".cluster"
	if p.GatewayClass == "" {
		r.Field(base+".gatewayClass", "required: the GatewayClass the fixtures' Gateways use")
	}
	if p.GatewayAPI != "" {
		r.checkDir(base+".gatewayAPI", p.GatewayAPI)
	}
	if p.Install != "" {
		r.checkDir(base+".install", p.Install)
	}
	for i, h := range p.Helm {
		path := fmt.Sprintf("%s.helm[%d]", base, i)
		if !dnsLabel.MatchString(h.Release) {
			r.Field(path+".release", "%q is not allowed; use lowercase letters, digits and '-'", h.Release)
		}
		if h.Chart == "" {
			r.Field(path+".chart", "required, such as oci://docker.io/envoyproxy/gateway-helm")
		}
		if h.Version == "" || h.Version == "latest" {
			r.Field(path+".version", "%q is not allowed: pin the chart version, such as v1.9.1", h.Version)
		}
		if !dnsLabel.MatchString(h.Namespace) {
			r.Field(path+".namespace", "%q is not allowed; use lowercase letters, digits and '-'", h.Namespace)
		}
		if h.Values != "" {
			if _, err := os.Stat(absolute(filepath.Dir(r.abs), h.Values)); err != nil {
				r.Field(path+".values", "%v (a relative path is resolved against %s)", err, filepath.Dir(r.abs))
			}
		}
		for j, a := range h.Args {
			if strings.ContainsAny(a, "\n\x00") {
				r.Field(fmt.Sprintf("%s.args[%d]", path, j), "%q must not contain a newline", a)
			}
		}
	}
	if (p.Controller.Namespace == "") != (p.Controller.Deployment == "") {
		r.Field(base+".controller", "namespace and deployment must be set together")
	}
	if len(p.Fixtures) == 0 {
		r.Field(base+".fixtures", "required: a list of directories of manifests, such as [fixtures/cluster/common, fixtures/<implementation>/suite]")
	}
	for i, d := range p.Fixtures {
		r.checkDir(fmt.Sprintf("%s.fixtures[%d]", base, i), d)
	}
	if !dnsLabel.MatchString(p.Gateway) {
		r.Field(base+".gateway", "%q is not allowed; use the name of the fixtures' main Gateway", p.Gateway)
	}
	if p.Proxy.Selector == "" {
		r.Field(base+".proxy.selector", `required: a label selector of the Gateway's proxy pods, such as "gateway.networking.k8s.io/gateway-name={{.Gateway}}"`)
	}
	r.checkTemplate(base+".proxy.selector", p.Proxy.Selector)
	r.checkTemplate(base+".proxy.namespace", p.Proxy.Namespace)
	if p.Proxy.Port < 1 || p.Proxy.Port > 65535 {
		r.Field(base+".proxy.port", "%d is not allowed; allowed: 1 to 65535, the container port of the Gateway's listener", p.Proxy.Port)
	}
	if p.Proxy.AdminPort < 0 || p.Proxy.AdminPort > 65535 {
		r.Field(base+".proxy.adminPort", "%d is not allowed; allowed: 0 (none) to 65535", p.Proxy.AdminPort)
	}
	for i, k := range p.PolicyKinds {
		if !kindName.MatchString(k) {
			r.Field(fmt.Sprintf("%s.policyKinds[%d]", base, i), "%q is not a kind; use a name such as BackendTrafficPolicy", k)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Variants)) {
		if !variantName.MatchString(name) {
			r.Field(spec.Join(base+".variants", name), "%q is not allowed as a variant name; use letters, digits, '.', '_' and '-', such as sampling-zero", name)
		}
		if !dnsLabel.MatchString(p.Variants[name]) {
			r.Field(spec.Join(base+".variants", name), "%q is not allowed; use the name of a Gateway in the fixtures", p.Variants[name])
		}
	}
}

// buildCluster fills in the cluster settings of c and applies E2E_KUBERNETES_VERSION and
// E2E_KEEP.
func (r *resolver) buildCluster(c *Config, env spec.Environment, impl spec.Implementation) {
	sn := impl.SpanNames
	c.Implementation.SpanNames = SpanNames{Default: sn.Default, Decorated: sn.Decorated}
	c.Implementation.AttributeNaming = impl.AttributeNaming
	if p := impl.Cluster; p != nil {
		cp := &ClusterProfile{
			GatewayClass: p.GatewayClass, Controller: Workload(p.Controller), Gateway: p.Gateway,
			Proxy: Proxy(p.Proxy), PolicyKinds: slices.Clone(p.PolicyKinds), Variants: maps.Clone(p.Variants),
		}
		if p.GatewayAPI != "" {
			cp.GatewayAPI = absolute(c.Dir, p.GatewayAPI)
		}
		if p.Install != "" {
			cp.Install = absolute(c.Dir, p.Install)
		}
		for _, h := range p.Helm {
			hr := HelmRelease{Release: h.Release, Chart: h.Chart, Version: h.Version, Namespace: h.Namespace, Args: slices.Clone(h.Args), TemplateOnly: h.TemplateOnly}
			if h.Values != "" {
				hr.Values = absolute(c.Dir, h.Values)
			}
			cp.Helm = append(cp.Helm, hr)
		}
		for _, d := range p.Fixtures {
			cp.Fixtures = append(cp.Fixtures, absolute(c.Dir, d))
		}
		c.Implementation.Cluster = cp
	}
	if !slices.Contains(clusterTypes, env.Type) {
		return
	}
	if impl.Cluster == nil {
		// Only an E2E_IMPLEMENTATION override gets here: the file itself was checked.
		r.Plain("E2E_IMPLEMENTATION: implementation %q has no cluster profile (implementations.%s.cluster in %s), which environment %q of type %s needs",
			c.Implementation.Name, c.Implementation.Name, r.abs, c.Environment.Name, env.Type)
	}
	cl := &Cluster{
		Kubeconfig: expandHome(env.Kubeconfig), Context: env.Context, NamespacePrefix: env.NamespacePrefix,
		Receiver: Receiver(env.Receiver),
	}
	if k := env.Cluster; k != nil {
		cl.Kind = &KindCluster{
			Name: k.Name, KubernetesVersion: k.KubernetesVersion, Config: absolute(c.Dir, k.Config),
			Keep: k.Keep, RecreateOnMismatch: k.RecreateOnMismatch,
		}
		if v, ok := get(r.lookup, "E2E_KUBERNETES_VERSION"); ok {
			if _, known := k.NodeImages[v]; !known {
				r.Plain("E2E_KUBERNETES_VERSION: %q has no node image in environments.%s.cluster.nodeImages of %s; allowed: %s",
					v, c.Environment.Name, r.abs, list(slices.Sorted(maps.Keys(k.NodeImages))))
			} else {
				cl.Kind.KubernetesVersion = v
				c.overrides = append(c.overrides, "E2E_KUBERNETES_VERSION="+v)
			}
		}
		cl.Kind.NodeImage = k.NodeImages[cl.Kind.KubernetesVersion]
		r.boolOverride(c, "E2E_KEEP", func(b bool) { cl.Kind.Keep = b })
	}
	c.Cluster = cl
}

// clusterSummary adds the cluster settings to the resolved config's summary.
func (c *Config) clusterSummary(line func(string, ...any)) {
	impl := c.Implementation
	line("spanNames: default %q, decorated %q; attributeNaming %s", impl.SpanNames.Default, impl.SpanNames.Decorated, impl.AttributeNaming)
	cl, p := c.Cluster, impl.Cluster
	if cl == nil || p == nil {
		return
	}
	if k := cl.Kind; k != nil {
		line("kind cluster: %s, Kubernetes %s (%s), config %s, keep %t, recreateOnMismatch %t",
			k.Name, k.KubernetesVersion, k.NodeImage, k.Config, k.Keep, k.RecreateOnMismatch)
	} else {
		line("existing cluster: kubeconfig %s, context %s", orDefault(cl.Kubeconfig, "$KUBECONFIG"), orDefault(cl.Context, "(current)"))
	}
	advertise := orDefault(cl.Receiver.Advertise, "the bound address")
	line("receiver: bind %s, port %d, advertised as %s; namespace %s-<random>", cl.Receiver.Bind, cl.Receiver.Port, advertise, cl.NamespacePrefix)
	line("cluster profile: gatewayClass %s, gateway %s, proxy %s port %d", p.GatewayClass, p.Gateway, p.Proxy.Selector, p.Proxy.Port)
	for _, h := range p.Helm {
		line("  helm: %s %s@%s in %s", h.Release, h.Chart, h.Version, h.Namespace)
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// expandHome expands a leading ~/ so kubeconfig paths can be written as in a shell.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}
