package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
)

// The placeholders of implementations.<name>.variantServiceNames.
const (
	// ServiceNameGateway is the variant's Gateway: cluster.variants.<variant>.
	ServiceNameGateway = "{gateway}"
	// ServiceNameNamespace is the Gateway's namespace: a cluster run's own (random) one, or
	// MirrorNamespace in a local mirror.
	ServiceNameNamespace = "{namespace}"
)

// MirrorNamespace is the namespace a local mirror of a cluster implementation (envoy-as-...)
// renders its Gateways in: what the cluster's would be called there.
const MirrorNamespace = "tracegate"

var (
	serviceNamePlaceholders = []string{ServiceNameGateway, ServiceNameNamespace}
	placeholder             = regexp.MustCompile(`\{[^}]*\}`)
	// namespaceName is a Kubernetes namespace name (RFC 1123 label).
	namespaceName = `[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?`
)

// ServiceNamePattern is the service.name a variant's spans must carry where its configuration
// sets none: VariantServiceNames[variant] with {gateway} the variant's Gateway and {namespace}
// any namespace name (a cluster run's namespace is random). ok is false when the profile
// declares none for the variant.
func (i Implementation) ServiceNamePattern(variant string) (pattern *regexp.Regexp, ok bool) {
	form, ok := i.VariantServiceNames[variant]
	if !ok {
		return nil, false
	}
	gateway := ""
	if i.Cluster != nil {
		gateway = i.Cluster.Variants[variant]
	}
	expr := regexp.QuoteMeta(form)
	expr = strings.ReplaceAll(expr, regexp.QuoteMeta(ServiceNameGateway), regexp.QuoteMeta(gateway))
	expr = strings.ReplaceAll(expr, regexp.QuoteMeta(ServiceNameNamespace), namespaceName)
	return regexp.MustCompile("^" + expr + "$"), true
}

// checkVariantServiceNames: each entry names a variant the profile defines, and {gateway} only
// where the cluster profile maps that variant to a Gateway.
func (r *resolver) checkVariantServiceNames(base *field.Path, impl spec.Implementation) {
	variants := map[string]bool{}
	if impl.Local != nil {
		for v := range impl.Local.Variants {
			variants[v] = true
		}
	}
	clusterVariants := map[string]string{}
	if impl.Cluster != nil {
		clusterVariants = impl.Cluster.Variants
		for v := range clusterVariants {
			variants[v] = true
		}
	}
	for _, v := range slices.Sorted(maps.Keys(impl.VariantServiceNames)) {
		f, form := spec.Child(base.Child("variantServiceNames"), v), impl.VariantServiceNames[v]
		switch {
		case !variants[v]:
			r.Field(f, "%q is not a variant of this implementation; allowed: %s", v, list(slices.Sorted(maps.Keys(variants))))
		case form == "":
			r.Field(f, "must not be empty: the service.name, with %s", list(serviceNamePlaceholders))
		case strings.Contains(form, ServiceNameGateway) && clusterVariants[v] == "":
			r.Field(f, "%s needs cluster.variants.%s, the variant's Gateway", ServiceNameGateway, v)
		}
		for _, p := range placeholder.FindAllString(form, -1) {
			if !slices.Contains(serviceNamePlaceholders, p) {
				r.Field(f, "%q is no placeholder; allowed: %s", p, list(serviceNamePlaceholders))
			}
		}
	}
}

// variantServiceNamesLine is the setting as the resolved configuration printed at start shows it.
func (i Implementation) variantServiceNamesLine() string {
	var parts []string
	for _, v := range slices.Sorted(maps.Keys(i.VariantServiceNames)) {
		parts = append(parts, fmt.Sprintf("%s %q", v, i.VariantServiceNames[v]))
	}
	return strings.Join(parts, ", ")
}
