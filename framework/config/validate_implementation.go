package config

import (
	"maps"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// attributeNamings are the values implementations.<name>.attributeNaming accepts.
var attributeNamings = []string{AttributeNamingSemconv, AttributeNamingEnvoy}

// checkImplementation validates implementations.<name>, with its naming and its cluster and local
// profiles.
func (r *resolver) checkImplementation(name string, impl spec.Implementation, dir string) {
	base := spec.Child(field.NewPath("implementations"), name)
	for i, f := range impl.Features {
		if !slices.Contains(r.features, f) {
			r.Field(base.Child("features").Index(i), "%q is not allowed; allowed: %s", f, list(r.features))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(impl.ResourceAttributes)) {
		// They are passed as OTEL_RESOURCE_ATTRIBUTES=k1=v1,k2=v2 without escaping.
		if k == "" || strings.ContainsAny(k, "=,% \t\n") {
			r.Field(
				spec.Child(base.Child("resourceAttributes"), k),
				"%q is not allowed as an attribute key: it must be non-empty, without '=', ',', '%%' or spaces",
				k,
			)
		}
		if v := impl.ResourceAttributes[k]; strings.ContainsAny(v, ",%\n") {
			r.Field(
				spec.Child(base.Child("resourceAttributes"), k),
				"%q is not allowed as an attribute value: it must not contain ',', '%%' or a newline",
				v,
			)
		}
	}
	if strings.ContainsAny(impl.ServiceName, ",%\n") {
		r.Field(base.Child("serviceName"), "%q is not allowed: it must not contain ',', '%%' or a newline", impl.ServiceName)
	}
	r.checkImplementationDeviations(base, impl)
	r.checkImplementationNaming(base, impl)
	r.checkClusterProfile(base, impl.Cluster)
	r.checkLocal(base, impl.Local, dir)
}

// checkImplementationNaming validates spanNames and attributeNaming, which every
// implementation has (local ones too).
func (r *resolver) checkImplementationNaming(base *field.Path, impl spec.Implementation) {
	switch d := impl.SpanNames.Default; {
	case d == "":
		r.Field(
			base.Child("spanNames", "default"),
			"must not be empty; use %q for the Host header, %q for the method or the literal name, such as ingress",
			SpanNameHost,
			SpanNameMethod,
		)
	case strings.HasPrefix(d, "{") && !slices.Contains(spanNamePlaceholders, d):
		r.Field(base.Child("spanNames", "default"), "%q is no placeholder; allowed: %s, or a literal name", d, list(spanNamePlaceholders))
	}
	if !slices.Contains(attributeNamings, impl.AttributeNaming) {
		r.Field(base.Child("attributeNaming"), "%q is not allowed; allowed: %s", impl.AttributeNaming, list(attributeNamings))
	}
}
