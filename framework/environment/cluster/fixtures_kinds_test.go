package cluster_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	egv1a1 "github.com/envoyproxy/gateway/api/v1alpha1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
)

// checkEnvoyProxy checks what the suite needs of an EnvoyProxy: OpenTelemetry export to the
// receiver's Service, the span name, and the sampling of its Gateway (the main one 100%, the
// sampling-zero variant's a parent-based sampler that starts no trace).
func checkEnvoyProxy(t *testing.T, d document, ep *egv1a1.EnvoyProxy, data cluster.FixtureData) {
	t.Helper()
	off := ep.Name == data.Variants["tracing-off"]
	switch {
	case off && ep.Spec.Telemetry != nil:
		t.Errorf("%s: the tracing-off Gateway's EnvoyProxy has telemetry %+v, want none: it traces nothing", d, ep.Spec.Telemetry)
		return
	case off:
		return
	case ep.Spec.Telemetry == nil || ep.Spec.Telemetry.Tracing == nil:
		t.Errorf("%s: spec.telemetry.tracing is required", d)
		return
	}
	tr := ep.Spec.Telemetry.Tracing
	if tr.SpanName == nil || tr.SpanName.Client == "" {
		t.Errorf("%s: spec.telemetry.tracing.spanName.client is required: it names the SERVER span", d)
	}
	if p := tr.Provider; p.Type != egv1a1.TracingProviderTypeOpenTelemetry ||
		len(p.BackendRefs) != 1 ||
		string(p.BackendRefs[0].Name) != data.OTLPService {
		t.Errorf("%s: tracing provider %s to %+v, want OpenTelemetry to the Service %s", d, p.Type, p.BackendRefs, data.OTLPService)
	}
	// Envoy's span buffer flushed at the environment's exportDelay, one span at a time.
	flush := map[string]string{}
	if b := ep.Spec.Bootstrap; b != nil {
		for _, p := range b.JSONPatches {
			if p.Value != nil && p.Path != nil {
				flush[*p.Path] = string(p.Value.Raw)
			}
		}
	}
	const runtime = "/layered_runtime/layers/0/static_layer/tracing.opentelemetry."
	if flush[runtime+"flush_interval_ms"] != fmt.Sprint(data.ExportDelayMillis) || flush[runtime+"min_flush_spans"] != "1" {
		t.Errorf("%s: bootstrap patches %v, want flush_interval_ms %d and min_flush_spans 1", d, flush, data.ExportDelayMillis)
	}
	var sampler *egv1a1.OTelSampler
	if o := tr.Provider.OpenTelemetry; o != nil {
		sampler = o.Sampler
	}
	switch ep.Name {
	case data.Variants["sampling-zero"]:
		// A sampler makes Envoy Gateway render random_sampling 100, so the sampler alone
		// decides: new traces 0%, a caller's sampled flag honoured.
		if sampler == nil || sampler.Type != egv1a1.OTelSamplerTypeParentBasedAlwaysOff {
			t.Errorf("%s: sampler %+v, want ParentBasedAlwaysOff on the sampling-zero Gateway", d, sampler)
		}
	default:
		if sampler != nil || tr.SamplingRate == nil || *tr.SamplingRate != 100 {
			t.Errorf("%s: samplingRate %v and sampler %+v, want samplingRate 100 and no sampler", d, tr.SamplingRate, sampler)
		}
	}
}

// checkBackendTrafficPolicy checks the decorated route's policy: it names the span as the
// profile says, and sets no sampling fraction, so that on each Gateway its route samples as the
// Gateway's EnvoyProxy says (fixtures/envoy-gateway/suite/decorated.yaml.tmpl).
func checkBackendTrafficPolicy(t *testing.T, d document, btp *egv1a1.BackendTrafficPolicy, cfg *config.Config) {
	t.Helper()
	var tr *egv1a1.Tracing
	if btp.Spec.Telemetry != nil {
		tr = btp.Spec.Telemetry.Tracing
	}
	if tr == nil || tr.SpanName == nil || tr.SpanName.Client != cfg.Implementation.SpanNames.Decorated {
		t.Errorf("%s: spec.telemetry.tracing.spanName %+v, want client %q (spanNames.decorated)", d, tr, cfg.Implementation.SpanNames.Decorated)
		return
	}
	if tr.SamplingFraction != nil || tr.ClientSamplingFraction != nil || tr.OverallSamplingFraction != nil {
		t.Errorf("%s: sets a sampling fraction, which would apply to the decorated route on every Gateway, the sampling-zero one too", d)
	}
}

// kgatewayFields are the fields kgateway 2.4's API reference lists for the objects and the parts
// of them the fixtures write, by path (kind, then field names, "[]" for a list's elements): a key
// the reference does not list there is a misspelling. Copied from
// https://kgateway.dev/docs/envoy/latest/reference/api/ (content/docs/envoy/latest/reference/api.md
// in kgateway-dev/kgateway.dev, the 2.4.x docs, read at its main of 2026-08-20). kgateway's Go
// module is not served by the Go module proxy, so its own types cannot be used here.
var kgatewayFields = map[string][]string{
	"ListenerPolicy":      {"apiVersion", "kind", "metadata", "spec", "status"},
	"ListenerPolicy.spec": {"targetRefs", "targetSelectors", "default", "perPort"},
	"ListenerPolicy.spec.default": {
		"clientCertificateValidation",
		"proxyProtocol",
		"tcpKeepalive",
		"perConnectionBufferLimitBytes",
		"httpSettings",
		"transportSocketConnectTimeout",
	},
	"ListenerPolicy.spec.default.httpSettings": {
		"accessLog",
		"tracing",
		"localReplies",
		"upgradeConfig",
		"useRemoteAddress",
		"preserveExternalRequestId",
		"generateRequestId",
		"xffNumTrustedHops",
		"xffTrustedCIDRs",
		"skipXFFAppend",
		"serverHeaderTransformation",
		"serverName",
		"streamIdleTimeout",
		"idleTimeout",
		"maxRequestsPerConnection",
		"maxHeadersCount",
		"http2ProtocolOptions",
		"healthCheck",
		"preserveHttp1HeaderCase",
		"acceptHttp10",
		"defaultHostForHttp10",
		"earlyRequestHeaderModifier",
		"forwardClientCertDetails",
		"maxRequestHeadersKb",
		"uuidRequestIdConfig",
		"stripHostPortMode",
	},
	"ListenerPolicy.spec.default.httpSettings.tracing": {
		"provider",
		"clientSampling",
		"randomSampling",
		"overallSampling",
		"verbose",
		"maxPathTagLength",
		"attributes",
		"spawnUpstreamSpan",
	},
	"ListenerPolicy.spec.default.httpSettings.tracing.provider":               {"openTelemetry"},
	"ListenerPolicy.spec.default.httpSettings.tracing.provider.openTelemetry": {"grpcService", "serviceName", "resourceDetectors", "sampler"},
	"ListenerPolicy.spec.default.httpSettings.tracing.provider.openTelemetry.grpcService": {
		"backendRef",
		"authority",
		"maxReceiveMessageLength",
		"skipEnvoyHeaders",
		"timeout",
		"initialMetadata",
		"retryPolicy",
	},
	"ListenerPolicy.spec.default.httpSettings.tracing.provider.openTelemetry.resourceDetectors[]": {
		"environmentResourceDetector",
	},
	"ListenerPolicy.spec.default.httpSettings.tracing.provider.openTelemetry.resourceDetectors[].environmentResourceDetector": {"enable"},
	"ListenerPolicy.spec.default.httpSettings.tracing.attributes[]": {
		"name",
		"literal",
		"environment",
		"requestHeader",
		"metadata",
	},
	"ListenerPolicy.spec.default.httpSettings.tracing.attributes[].literal":       {"value"},
	"ListenerPolicy.spec.default.httpSettings.tracing.attributes[].environment":   {"name", "defaultValue"},
	"ListenerPolicy.spec.default.httpSettings.tracing.attributes[].requestHeader": {"name", "defaultValue"},
	"GatewayParameters":      {"apiVersion", "kind", "metadata", "spec", "status"},
	"GatewayParameters.spec": {"kube", "selfManaged"},
	"GatewayParameters.spec.kube": {
		"deployment",
		"envoyContainer",
		"sdsContainer",
		"podTemplate",
		"service",
		"serviceAccount",
		"istio",
		"stats",
		"omitDefaultSecurityContext",
		"deploymentOverlay",
		"serviceOverlay",
		"serviceAccountOverlay",
		"podDisruptionBudget",
		"horizontalPodAutoscaler",
		"verticalPodAutoscaler",
	},
	"GatewayParameters.spec.kube.envoyContainer": {
		"bootstrap",
		"image",
		"securityContext",
		"resources",
		"extraArgs",
		"env",
		"extraVolumeMounts",
	},
}

// checkDocumentedFields fails for every key of the document, at a path fields lists, that fields
// does not list there.
func checkDocumentedFields(t *testing.T, d document, fields map[string][]string) {
	t.Helper()
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			allowed, known := fields[path]
			if !known {
				return
			}
			for k, child := range v {
				if !slices.Contains(allowed, k) {
					t.Errorf("%s: %s.%s is not a field kgateway's API reference lists there; allowed: %s", d, path, k, strings.Join(allowed, ", "))
					continue
				}
				walk(path+"."+k, child)
			}
		case []any:
			for _, e := range v {
				walk(path+"[]", e)
			}
		}
	}
	walk(d.u.GetKind(), d.u.Object)
}

// strictAt decodes the value at path strictly into a typed object, and fails when there is none.
func strictAt(t *testing.T, d document, into any, path ...string) {
	t.Helper()
	v, found, err := unstructured.NestedFieldNoCopy(d.u.Object, path...)
	if !found || err != nil {
		t.Errorf("%s: %s is required", d, strings.Join(path, "."))
		return
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(data, into); err != nil {
		t.Errorf("%s: %s does not decode strictly into %T: %v", d, strings.Join(path, "."), into, err)
	}
}
