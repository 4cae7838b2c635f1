package config

import (
	"maps"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The forms of the cluster keys' values.
var (
	// A Kubernetes version as nodeImages and kubernetesVersion write it: major.minor.
	minorVersion = regexp.MustCompile(`^[1-9][0-9]*\.[0-9]+$`)
	// A kind node image pinned by digest, e.g. kindest/node:v1.34.3@sha256:<64 hex>.
	nodeImage = regexp.MustCompile(`^[a-z0-9./_-]+:v([0-9]+\.[0-9]+)\.[0-9]+@sha256:[0-9a-f]{64}$`)
	// A kubernetes kind name, as in policyKinds.
	kindName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
)

// checkClusterEnvironment validates the cluster keys of environments.<name>: they are required
// or allowed by the environment's type.
func (r *resolver) checkClusterEnvironment(base *field.Path, e spec.Environment) {
	inCluster := slices.Contains(environmentTypes(true), e.Type)
	for _, key := range []string{"cluster", "receiver", "kubeconfig", "context", "namespacePrefix"} {
		if r.Set(base.Child(key)) && !inCluster && e.Type != "" {
			r.Field(base.Child(key), "only environments of type kind, kwok or existing take %s; this one is of type %s", key, e.Type)
		}
	}
	if !inCluster {
		return
	}
	if impl, ok := r.file.Implementations[e.Implementation]; ok && impl.Cluster == nil {
		r.Field(base.Child("implementation"), "implementation %q has no cluster profile (implementations.%s.cluster), which an environment of type %s needs",
			e.Implementation, e.Implementation, e.Type)
	}
	if e.OTLPProtocol != "grpc" {
		r.Field(base.Child("otlpProtocol"), "%q is not allowed for type %s; allowed: grpc (the in-cluster tracegate-otlp Service points at the receiver's OTLP/gRPC port, and Envoy exports OTLP/gRPC only)",
			e.OTLPProtocol, e.Type)
	}
	if ok, _ := dnsLabel(e.NamespacePrefix, 40); !ok {
		r.Field(base.Child("namespacePrefix"), "%q is not allowed; use lowercase letters, digits and '-', at most 40 characters, such as tracegate", e.NamespacePrefix)
	}
	if e.Type != TypeKwok {
		r.checkReceiver(base.Child("receiver"), e)
	}
	switch e.Type {
	case TypeKind, TypeKwok:
		for _, key := range []string{"kubeconfig", "context"} {
			if r.Set(base.Child(key)) {
				r.Field(base.Child(key), "not allowed for type %s: %s writes the kubeconfig of the cluster it creates", e.Type, e.Type)
			}
		}
	}
	switch e.Type {
	case TypeKwok:
		r.checkKwokCluster(base, e)
	case TypeKind:
		if e.Cluster == nil {
			r.Field(base.Child("cluster"), "required for type kind: {name, kubernetesVersion, nodeImages, config}")
			return
		}
		r.checkKindCluster(base.Child("cluster"), *e.Cluster)
	case TypeExisting:
		if e.Cluster != nil {
			r.Field(base.Child("cluster"), "not allowed for type existing: the cluster comes from kubeconfig and context")
		}
		if e.Kubeconfig != "" {
			if _, err := os.Stat(expandHome(e.Kubeconfig)); err != nil {
				r.Field(base.Child("kubeconfig"), "%v; leave it empty to use $KUBECONFIG or ~/.kube/config", err)
			}
		}
	}
}

// checkReceiver validates environments.<name>.receiver.
func (r *resolver) checkReceiver(base *field.Path, e spec.Environment) {
	rc := e.Receiver
	if rc.Bind == ReceiverAuto {
		// kind: the kind network's gateway; existing: this machine's address on the route to
		// the API server. Both are found at run time.
	} else if ip, err := netip.ParseAddr(rc.Bind); err != nil {
		r.Field(base.Child("bind"), "%q is not allowed; allowed: %s or an IP address of this machine", rc.Bind, ReceiverAuto)
	} else if ip.IsUnspecified() {
		r.Field(base.Child("bind"), "%q listens on every interface; bind only the address the cluster reaches (%s finds it for kind)", rc.Bind, ReceiverAuto)
	}
	if rc.Advertise != "" {
		if ip, err := netip.ParseAddr(rc.Advertise); err != nil || ip.IsUnspecified() || ip.IsLoopback() {
			r.Field(base.Child("advertise"), "%q is not allowed; use the IP address the cluster's pods send spans to (an EndpointSlice holds it), or leave it empty for the bound address", rc.Advertise)
		}
	} else if ip, err := netip.ParseAddr(rc.Bind); err == nil && ip.IsLoopback() {
		r.Field(base.Child("advertise"), "required when bind is a loopback address (%s): pods cannot reach it; on Docker Desktop give the address host.docker.internal resolves to in the cluster's nodes", rc.Bind)
	}
	if rc.Port < 0 || rc.Port > 65535 {
		r.Field(base.Child("port"), "%d is not allowed; allowed: 0 (a free port) to 65535", rc.Port)
	}
}

// checkKwokCluster validates environments.<name>.cluster and receiver of a kwok environment:
// of the kind keys only name, config and keep apply (the Kubernetes version is the one the
// pinned control-plane binaries are built at), and the receiver is always in the run's network
// namespace.
func (r *resolver) checkKwokCluster(base *field.Path, e spec.Environment) {
	cl := base.Child("cluster")
	if e.Cluster == nil {
		r.Field(cl, "required for type kwok: {name, config}, config being the kwokctl configuration template such as fixtures/kwok/kwokctl.yaml.tmpl")
		return
	}
	for _, key := range []string{"kubernetesVersion", "nodeImages", "recreateOnMismatch"} {
		if r.Set(cl.Child(key)) {
			r.Field(cl.Child(key), "not allowed for type kwok: the control plane is the pinned build in bin/ (scripts/build-tools.sh); allowed: name, config, keep")
		}
	}
	if ok, why := dnsLabel(e.Cluster.Name, 50); !ok {
		r.Field(cl.Child("name"), "%q is not allowed; use lowercase letters, digits and '-', such as tracegate%s", e.Cluster.Name, why)
	}
	if !r.Set(cl.Child("config")) {
		r.Field(cl.Child("config"), "required for type kwok: the kwokctl configuration template, such as fixtures/kwok/kwokctl.yaml.tmpl")
	} else {
		r.checkTemplateFile(cl.Child("config"), e.Cluster.Config)
	}
	rc := base.Child("receiver")
	if e.Receiver.Bind != ReceiverAuto {
		r.Field(rc.Child("bind"), "%q is not allowed for type kwok; allowed: %s (the receiver listens in the run's network namespace, where the proxies run)", e.Receiver.Bind, ReceiverAuto)
	}
	if e.Receiver.Port < 0 || e.Receiver.Port > 65535 {
		r.Field(rc.Child("port"), "%d is not allowed; allowed: 0 (a free port) to 65535", e.Receiver.Port)
	}
	if e.Receiver.Advertise != "" {
		r.Field(rc.Child("advertise"), "not allowed for type kwok: the proxies reach the receiver at its address in the run's network namespace")
	}
}

// checkKindCluster validates environments.<name>.cluster of a kind environment.
func (r *resolver) checkKindCluster(base *field.Path, k spec.KindCluster) {
	if ok, why := dnsLabel(k.Name, 50); !ok {
		r.Field(base.Child("name"), "%q is not allowed; use lowercase letters, digits and '-', such as tracegate%s", k.Name, why)
	}
	for _, v := range slices.Sorted(maps.Keys(k.NodeImages)) {
		path := spec.Child(base.Child("nodeImages"), v)
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
		r.Field(base.Child("kubernetesVersion"), "required; allowed: %s", list(slices.Sorted(maps.Keys(k.NodeImages))))
	case !ok:
		r.Field(base.Child("kubernetesVersion"), "%q has no node image; allowed: %s (add it to nodeImages)", k.KubernetesVersion, list(slices.Sorted(maps.Keys(k.NodeImages))))
	}
	r.checkTemplateFile(base.Child("config"), k.Config)
	r.checkKindHere(base.Child("here"), k.Here)
}

// checkClusterProfile validates implementations.<name>.cluster.
func (r *resolver) checkClusterProfile(base *field.Path, p *spec.ClusterProfile) {
	if p == nil {
		return
	}
	base = base.Child("cluster")
	r.checkProfileHere(base, p)
	r.checkKwokProfile(base, p.Kwok)
	if p.GatewayClass == "" {
		r.Field(base.Child("gatewayClass"), "required: the GatewayClass the fixtures' Gateways use")
	}
	if p.GatewayAPI != "" {
		r.checkDir(base.Child("gatewayAPI"), p.GatewayAPI)
	}
	if p.Install != "" {
		r.checkDir(base.Child("install"), p.Install)
	}
	for i, h := range p.Helm {
		path := base.Child("helm").Index(i)
		if ok, why := dnsLabel(h.Release, validation.DNS1123LabelMaxLength); !ok {
			r.Field(path.Child("release"), "%q is not allowed; use lowercase letters, digits and '-'%s", h.Release, why)
		}
		if h.Chart == "" {
			r.Field(path.Child("chart"), "required, such as oci://docker.io/envoyproxy/gateway-helm")
		}
		if h.Version == "" || h.Version == "latest" {
			r.Field(path.Child("version"), "%q is not allowed: pin the chart version, such as v1.9.1", h.Version)
		}
		if ok, why := dnsLabel(h.Namespace, validation.DNS1123LabelMaxLength); !ok {
			r.Field(path.Child("namespace"), "%q is not allowed; use lowercase letters, digits and '-'%s", h.Namespace, why)
		}
		r.checkFile(path.Child("values"), h.Values)
		for j, a := range h.Args {
			if strings.ContainsAny(a, "\n\x00") {
				r.Field(path.Child("args").Index(j), "%q must not contain a newline", a)
			}
		}
	}
	if (p.Controller.Namespace == "") != (p.Controller.Deployment == "") {
		r.Field(base.Child("controller"), "namespace and deployment must be set together")
	}
	if len(p.Fixtures) == 0 {
		r.Field(base.Child("fixtures"), "required: a list of directories of manifests, such as [fixtures/cluster/common, fixtures/<implementation>/suite]")
	}
	for i, d := range p.Fixtures {
		r.checkDir(base.Child("fixtures").Index(i), d)
	}
	if ok, why := dnsLabel(p.Gateway, validation.DNS1123LabelMaxLength); !ok {
		r.Field(base.Child("gateway"), "%q is not allowed; use the name of the fixtures' main Gateway%s", p.Gateway, why)
	}
	if p.Proxy.Selector == "" {
		r.Field(base.Child("proxy", "selector"), `required: a label selector of the Gateway's proxy pods, such as "gateway.networking.k8s.io/gateway-name={{.Gateway}}"`)
	}
	r.checkTemplate(base.Child("proxy", "selector"), p.Proxy.Selector)
	r.checkTemplate(base.Child("proxy", "namespace"), p.Proxy.Namespace)
	if p.Proxy.Port < 1 || p.Proxy.Port > 65535 {
		r.Field(base.Child("proxy", "port"), "%d is not allowed; allowed: 1 to 65535, the container port of the Gateway's listener", p.Proxy.Port)
	}
	if p.Proxy.AdminPort < 0 || p.Proxy.AdminPort > 65535 {
		r.Field(base.Child("proxy", "adminPort"), "%d is not allowed; allowed: 0 (none) to 65535", p.Proxy.AdminPort)
	}
	for i, k := range p.StatusUnwritten {
		if k != "GatewayClass" {
			r.Field(base.Child("statusUnwritten").Index(i), "%q is not allowed; allowed: GatewayClass (the only install kind whose status is waited on)", k)
		}
	}
	for i, k := range p.PolicyKinds {
		if !kindName.MatchString(k) {
			r.Field(base.Child("policyKinds").Index(i), "%q is not a kind; use a name such as BackendTrafficPolicy", k)
		}
	}
	r.checkSupportWindow(base, p)
	for _, name := range slices.Sorted(maps.Keys(p.Variants)) {
		if !variantName.MatchString(name) {
			r.Field(spec.Child(base.Child("variants"), name), "%q is not allowed as a variant name; use letters, digits, '.', '_' and '-', such as sampling-zero", name)
		}
		if ok, why := dnsLabel(p.Variants[name], validation.DNS1123LabelMaxLength); !ok {
			r.Field(spec.Child(base.Child("variants"), name), "%q is not allowed; use the name of a Gateway in the fixtures%s", p.Variants[name], why)
		}
	}
}

// checkSupportWindow validates implementations.<name>.cluster.kubernetesVersions and
// kubernetesVersionsSource: the Kubernetes minor versions the implementation's release supports,
// and where its project publishes them.
func (r *resolver) checkSupportWindow(base *field.Path, p *spec.ClusterProfile) {
	path := base.Child("kubernetesVersions")
	if len(p.KubernetesVersions) == 0 {
		r.Field(path, `required: the Kubernetes versions this release supports, such as ["1.35", "1.36"], as the implementation's project publishes them (name where in kubernetesVersionsSource)`)
	}
	seen := map[string]bool{}
	for i, v := range p.KubernetesVersions {
		switch {
		case !minorVersion.MatchString(v):
			r.Field(path.Index(i), "%q is not a Kubernetes version; use major.minor such as \"1.36\"", v)
		case seen[v]:
			r.Field(path.Index(i), "%q is listed twice", v)
		}
		seen[v] = true
	}
	if strings.TrimSpace(p.KubernetesVersionsSource) == "" {
		r.Field(base.Child("kubernetesVersionsSource"), "required: where the implementation's project publishes the Kubernetes versions it supports, such as its compatibility matrix; a refused version names it")
	}
}
