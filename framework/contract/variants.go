package contract

// Variant is a second gateway of the same implementation, configured differently, that some
// specs send requests through (implementations.<name>.local.variants, cluster.variants). A
// variant differs from the main gateway in its sampling or its tracing only: a traced variant
// exports with the same service name, resource attributes and custom attributes, and the
// ResourceAttributes and CustomAttributes specs judge every traced variant the environment
// defines as they judge the main one.
type Variant struct {
	Name string
	// Feature is the feature whose specs need it: a profile listing it must define the variant
	// (or say, with local.variants.<name>.unavailable, why the gateway cannot be configured so).
	Feature string
	// Sampling is the sampling, or the tracing, the variant means.
	Sampling string
	// How says how a gateway can be given it.
	How string
	// Untraced: the variant traces nothing and exports no span, so no spec judges its spans.
	Untraced bool
}

// SamplingZeroVariant samples no new trace and honours a caller's decision.
var SamplingZeroVariant = Variant{
	Name:     "sampling-zero",
	Feature:  "Sampling",
	Sampling: "new traces (no traceparent) at 0%; a caller's sampled flag decides (parent-based): 01 traced, 00 not",
	How: "an OpenTelemetry SDK's environment (`local.variants.sampling-zero.env`: OTEL_TRACES_SAMPLER=parentbased_traceidratio, " +
		"OTEL_TRACES_SAMPLER_ARG=0), " +
		"or a parent-based 0% sampler the config template renders where `{{.Variant}}` is sampling-zero; in a cluster, " +
		"the Gateway `cluster.variants.sampling-zero` names",
}

// TracingOffVariant traces nothing: the gateway as a plain proxy, which W3C Trace Context says
// must pass a tracestate on unchanged when it passes the traceparent on unchanged.
var TracingOffVariant = Variant{
	Name:     "tracing-off",
	Feature:  "TraceState",
	Sampling: "no tracing, at least on the route of its requests: no span, the trace-context headers forwarded as any other header",
	How: "a config template that leaves the tracer out where `{{.Variant}}` is tracing-off; in a cluster, " +
		"the Gateway `cluster.variants.tracing-off` names; " +
		"where the gateway cannot turn tracing off, `local.variants.tracing-off.unavailable` says why, " +
		"and its specs are not applicable with that reason",
	Untraced: true,
}

// Variants is every variant the features use.
var Variants = []Variant{SamplingZeroVariant, TracingOffVariant}
