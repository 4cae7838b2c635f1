package config

import (
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The forms of the cluster keys' values.
var (
	// A kubernetes kind name, as in policyKinds.
	kindName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
)

// checkClusterEnvironment validates the cluster keys of environments.<name>: they are allowed
// by a cluster type, whose own section (cluster) its package decodes and checks.
func (r *resolver) checkClusterEnvironment(base *field.Path, e spec.Environment) {
	t, inCluster := clusterType(e.Type)
	for _, key := range []string{"cluster", "receiver", "kubeconfig", "context", "namespacePrefix"} {
		if r.Set(base.Child(key)) && !inCluster && e.Type != "" {
			r.Field(base.Child(key), "only environments of type %s take %s; this one is of type %s", orList(environmentTypes(true)), key, e.Type)
		}
	}
	if !inCluster {
		return
	}
	if impl, ok := r.file.Implementations[e.Implementation]; ok && impl.Cluster == nil {
		r.Field(
			base.Child("implementation"),
			"implementation %q has no cluster profile (implementations.%s.cluster), which an environment of type %s needs",
			e.Implementation,
			e.Implementation,
			e.Type,
		)
	}
	if e.OTLPProtocol != "grpc" {
		r.Field(base.Child("otlpProtocol"), "%q is not allowed for type %s; allowed: grpc (the in-cluster tracegate-otlp Service points at "+
			"the receiver's OTLP/gRPC port, and Envoy exports OTLP/gRPC only)",
			e.OTLPProtocol, e.Type)
	}
	if ok, _ := dnsLabel(e.NamespacePrefix, 40); !ok {
		r.Field(
			base.Child("namespacePrefix"),
			"%q is not allowed; use lowercase letters, digits and '-', at most 40 characters, such as tracegate",
			e.NamespacePrefix,
		)
	}
	if t.Section == nil {
		if !e.Cluster.Null() {
			r.Field(base.Child("cluster"), "not allowed for type %s: it registers no cluster section", e.Type)
		}
		r.checkReceiver(base.Child("receiver"), e.Receiver)
		return
	}
	r.sections[base.String()] = t.Section.decode(r, e.Cluster, base.Child("cluster"))
	t.Section.check(&Check{r: r, Path: base, Type: e.Type, Cluster: genericCluster(e)}, r.sections[base.String()])
}

// genericCluster is the cluster keys every cluster type shares, as an environment sets them.
func genericCluster(e spec.Environment) *Cluster {
	return &Cluster{
		Kubeconfig:      expandHome(e.Kubeconfig),
		Context:         e.Context,
		NamespacePrefix: e.NamespacePrefix,
		Receiver:        Receiver(e.Receiver),
	}
}

// checkReceiver validates environments.<name>.receiver.
func (r *resolver) checkReceiver(base *field.Path, rc spec.Receiver) {
	bind, advertise := receiverProblems(rc.Bind, rc.Advertise)
	if bind != "" {
		r.Field(base.Child("bind"), "%s", bind)
	}
	if advertise != "" {
		r.Field(base.Child("advertise"), "%s", advertise)
	}
	r.checkReceiverPort(base, rc.Port)
}

// receiverProblems says what is wrong with a receiver's bind and advertise addresses, each ""
// when nothing is.
func receiverProblems(bind, advertise string) (bindProblem, advertiseProblem string) {
	if bind == ReceiverAuto {
		// kind: the kind network's gateway; existing: this machine's address on the route to
		// the API server. Both are found at run time.
	} else if ip, err := netip.ParseAddr(bind); err != nil {
		bindProblem = fmt.Sprintf("%q is not allowed; allowed: %s or an IP address of this machine", bind, ReceiverAuto)
	} else if ip.IsUnspecified() {
		bindProblem = fmt.Sprintf(
			"%q listens on every interface; bind only the address the cluster reaches (%s finds it for kind)",
			bind,
			ReceiverAuto,
		)
	}
	if advertise != "" {
		if ip, err := netip.ParseAddr(advertise); err != nil || ip.IsUnspecified() || ip.IsLoopback() {
			advertiseProblem = fmt.Sprintf("%q is not allowed; use the IP address the cluster's pods send spans to (an EndpointSlice holds it), "+
				"or leave it empty for the bound address", advertise)
		}
	} else if ip, err := netip.ParseAddr(bind); err == nil && ip.IsLoopback() {
		advertiseProblem = fmt.Sprintf("required when bind is a loopback address (%s): pods cannot reach it; "+
			"on Docker Desktop give the address host.docker.internal resolves to in the cluster's nodes", bind)
	}
	return bindProblem, advertiseProblem
}

// checkReceiverPort validates environments.<name>.receiver.port.
func (r *resolver) checkReceiverPort(base *field.Path, port int) {
	if port < 0 || port > 65535 {
		r.Field(base.Child("port"), "%d is not allowed; allowed: 0 (a free port) to 65535", port)
	}
}

// checkProfileTypes validates the keys of implementations.<name>.cluster that environment types
// own (kind's localBuild): each is decoded and checked by its type's section; any other is unknown.
func (r *resolver) checkProfileTypes(base *field.Path, p *spec.ClusterProfile) {
	owners := profileKeys()
	for _, key := range slices.Sorted(maps.Keys(p.Types)) {
		t, ok := owners[key]
		if renamed := formerProfileKeys()[key]; !ok && renamed != "" {
			r.Field(spec.Child(base, key), "renamed: use %s", renamed)
			continue
		}
		if !ok {
			allowed := append(spec.Keys(reflect.TypeFor[spec.ClusterProfile]()), slices.Sorted(maps.Keys(owners))...)
			r.Field(spec.Child(base, key), "unknown field; allowed: %s", strings.Join(allowed, ", "))
			continue
		}
		v := t.Section.decodeProfile(r, p.Types[key], spec.Child(base, key))
		r.profileSections[base.String()+"."+key] = v
		var releases []string
		for _, h := range p.Helm {
			releases = append(releases, h.Release)
		}
		t.Section.checkProfile(&Check{r: r, Path: base, Releases: releases}, v)
	}
}

// checkClusterProfile validates implementations.<name>.cluster.
func (r *resolver) checkClusterProfile(base *field.Path, p *spec.ClusterProfile) {
	if p == nil {
		return
	}
	base = base.Child("cluster")
	r.checkProfileTypes(base, p)
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
		r.Field(
			base.Child("fixtures"),
			"required: a list of directories of manifests, such as [fixtures/cluster/common, fixtures/<implementation>/suite]",
		)
	}
	for i, d := range p.Fixtures {
		r.checkDir(base.Child("fixtures").Index(i), d)
	}
	if ok, why := dnsLabel(p.Gateway, validation.DNS1123LabelMaxLength); !ok {
		r.Field(base.Child("gateway"), "%q is not allowed; use the name of the fixtures' main Gateway%s", p.Gateway, why)
	}
	if p.Proxy.Selector == "" {
		r.Field(
			base.Child("proxy", "selector"),
			`required: a label selector of the Gateway's proxy pods, such as "gateway.networking.k8s.io/gateway-name={{.Gateway}}"`,
		)
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
			r.Field(
				base.Child("statusUnwritten").Index(i),
				"%q is not allowed; allowed: GatewayClass (the only install kind whose status is waited on)",
				k,
			)
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
			r.Field(
				spec.Child(base.Child("variants"), name),
				"%q is not allowed as a variant name; use letters, digits, '.', '_' and '-', such as sampling-zero",
				name,
			)
		}
		if ok, why := dnsLabel(p.Variants[name], validation.DNS1123LabelMaxLength); !ok {
			r.Field(
				spec.Child(base.Child("variants"), name),
				"%q is not allowed; use the name of a Gateway in the fixtures%s",
				p.Variants[name],
				why,
			)
		}
	}
}

// checkSupportWindow validates implementations.<name>.cluster.kubernetesVersions and
// kubernetesVersionsSource: the Kubernetes minor versions the implementation's release supports,
// and where its project publishes them.
func (r *resolver) checkSupportWindow(base *field.Path, p *spec.ClusterProfile) {
	path := base.Child("kubernetesVersions")
	if len(p.KubernetesVersions) == 0 {
		r.Field(path, `required: the Kubernetes versions this release supports, such as ["1.35", "1.36"], as the implementation's project `+
			`publishes them (name where in kubernetesVersionsSource)`)
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
		r.Field(base.Child("kubernetesVersionsSource"), "required: where the implementation's project publishes the Kubernetes versions it "+
			"supports, such as its compatibility matrix; a refused version names it")
	}
}
