package contract

// Variant is a second gateway of the same implementation, configured differently, that some
// specs send requests through (implementations.<name>.local.variants, cluster.variants). A
// variant differs from the main gateway in its sampling only: it exports with the same service
// name, resource attributes and custom attributes, and the ResourceAttributes and
// CustomAttributes specs judge every variant the environment defines as they judge the main one.
type Variant struct {
	Name string
	// Feature is the feature whose specs need it: a profile listing it must define the variant.
	Feature string
	// Sampling is the sampling the variant means.
	Sampling string
	// How says how a gateway can be given it.
	How string
}

// SamplingZeroVariant samples no new trace and honours a caller's decision.
var SamplingZeroVariant = Variant{
	Name:     "sampling-zero",
	Feature:  "Sampling",
	Sampling: "new traces (no traceparent) at 0%; a caller's sampled flag decides (parent-based): 01 traced, 00 not",
	How: "an OpenTelemetry SDK's environment (`local.variants.sampling-zero.env`: OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0), " +
		"or a parent-based 0% sampler the config template renders where `{{.Variant}}` is sampling-zero; in a cluster, the Gateway `cluster.variants.sampling-zero` names",
}

// Variants is every variant the features use.
var Variants = []Variant{SamplingZeroVariant}
