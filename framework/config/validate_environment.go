package config

import (
	"slices"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The values environments.<name>.otlpProtocol accepts; environments.<name>.type accepts the
// registered types (RegisterType).
var otlpProtocols = []string{"grpc", "http/protobuf", "http/json"}

// maxSamplingTraces caps environments.<name>.samplingTraces: 30000 new traces rule out a leak
// of 0.01%; more would only make the spec slow.
const maxSamplingTraces = 30000

// checkEnvironment validates environments.<name>, with its faults, collector and cluster keys.
func (r *resolver) checkEnvironment(name string, e spec.Environment, impls []string) {
	base := spec.Child(field.NewPath("environments"), name)
	if name == "default" {
		r.Field(base, `"default" is not allowed as an environment name: waits.default and request.default are what every environment inherits`)
	}
	switch environmentTypes := environmentTypes(false); {
	case e.Type == "":
		r.Field(base.Child("type"), "required; allowed: %s", list(environmentTypes))
	case !slices.Contains(environmentTypes, e.Type):
		r.Field(base.Child("type"), "%q is not allowed; allowed: %s", e.Type, list(environmentTypes))
	}
	switch impl, ok := r.file.Implementations[e.Implementation]; {
	case e.Implementation == "":
		r.Field(base.Child("implementation"), "required; allowed: %s", list(impls))
	case !ok:
		r.Field(base.Child("implementation"), "%q is not an implementation; allowed: %s", e.Implementation, list(impls))
	case e.Type == TypeLocal && impl.Local == nil:
		r.Field(
			base.Child("implementation"),
			"implementation %q has no local profile (implementations.%s.local), which an environment of type local needs",
			e.Implementation,
			e.Implementation,
		)
	}
	if !slices.Contains(otlpProtocols, e.OTLPProtocol) {
		r.Field(base.Child("otlpProtocol"), "%q is not allowed; allowed: %s", e.OTLPProtocol, list(otlpProtocols))
	}
	if e.SamplingTraces < 1 || e.SamplingTraces > maxSamplingTraces {
		r.Field(
			base.Child("samplingTraces"),
			"%d is not allowed; must be 1 to %d (460, the default, let a 1%% leak through in 1%% of runs)",
			e.SamplingTraces,
			maxSamplingTraces,
		)
	}
	r.checkEnvironmentFaults(base, e.Faults)
	r.checkCollector(base, e)
	r.checkClusterEnvironment(base, e)
}
