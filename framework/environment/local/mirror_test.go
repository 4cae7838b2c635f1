package local

import (
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The envoy-as-envoy-gateway bootstrap renders what Envoy Gateway v1.9.1 renders for the
// fixtures (internal/xds/translator at that tag): use_remote_address on the HCM, a gRPC export
// without a timeout, the static resource detector only where the EnvoyProxy has attributes, and
// for the sampling-zero Gateway, whose EnvoyProxy differs in its sampler only, the same
// service name and resource as the main one.
func TestEnvoyGatewayMirrorRendersWhatEnvoyGatewayRenders(t *testing.T) {
	base := TemplateData{
		GatewayPort: 1, AdminPort: 2, UpstreamPort: 3, RefusedPort: 4, OTLPGRPCPort: 5, OTLPProtocol: "grpc",
		ExportDelayMillis: 100, Implementation: "envoy-gateway", ServiceName: "tracegate-envoy-gateway",
		ResourceAttributes: map[string]string{"deployment.environment.name": "tracegate"}, ReadyToken: "t",
		GatewayName: "tracegate", Namespace: "tracegate",
	}
	zero := base
	zero.Variant, zero.GatewayName = "sampling-zero", "tracegate-sampling-zero"
	envoy := base
	envoy.Implementation, envoy.ServiceName = "envoy", "tracegate-envoy"

	main, variant, plain := hcm(t, base), hcm(t, zero), hcm(t, envoy)
	if main["use_remote_address"] != true || variant["use_remote_address"] != true {
		t.Errorf("use_remote_address: %v, %v; Envoy Gateway sets true", main["use_remote_address"], variant["use_remote_address"])
	}
	if _, set := plain["use_remote_address"]; set {
		t.Errorf("the envoy profile sets use_remote_address: only the Envoy Gateway mirror should")
	}
	for name, c := range map[string]map[string]any{"main": main, "sampling-zero": variant} {
		grpc := dig(t, c, "tracing", "provider", "typed_config", "grpc_service")
		if _, set := grpc["timeout"]; set {
			t.Errorf("%s: a gRPC timeout Envoy Gateway does not set: %v", name, grpc)
		}
		if got := dig(t, grpc, "envoy_grpc")["authority"]; got != "tracegate-otlp.tracegate.svc" {
			t.Errorf("%s: authority %v, want the OTLP Service's tracegate-otlp.tracegate.svc", name, got)
		}
	}
	if got := dig(t, plain, "tracing", "provider", "typed_config", "grpc_service")["timeout"]; got != "5s" {
		t.Errorf("the envoy profile's export timeout is %v, want its own 5s", got)
	}
	otel := dig(t, main, "tracing", "provider", "typed_config")
	if otel["service_name"] != "tracegate-envoy-gateway" || otel["resource_detectors"] == nil {
		t.Errorf(
			"main gateway: service_name %v, resource_detectors %v; want the EnvoyProxy's name and its attributes",
			otel["service_name"],
			otel["resource_detectors"],
		)
	}
	otel = dig(t, variant, "tracing", "provider", "typed_config")
	if otel["service_name"] != "tracegate-envoy-gateway" || otel["resource_detectors"] == nil || otel["sampler"] == nil {
		t.Errorf("sampling-zero: service_name %v, resource_detectors %v, sampler %v; want the main gateway's name and attributes, and a sampler",
			otel["service_name"], otel["resource_detectors"], otel["sampler"])
	}

}

// hcm renders the bootstrap and returns its HTTP connection manager's typed_config.
func hcm(t *testing.T, data TemplateData) map[string]any {
	t.Helper()
	path := filepath.Join("..", "..", "..", "fixtures", "local", "envoy", "bootstrap.yaml.tmpl")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := expand(path, string(text), data)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%s renders no YAML: %v\n%s", path, err, out)
	}
	listener := dig(t, doc, "static_resources")["listeners"].([]any)[0].(map[string]any)
	chain := listener["filter_chains"].([]any)[0].(map[string]any)
	return chain["filters"].([]any)[0].(map[string]any)["typed_config"].(map[string]any)
}

func dig(t *testing.T, m map[string]any, keys ...string) map[string]any {
	t.Helper()
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("no map at %q in %v", k, m)
		}
		m = next
	}
	return m
}
