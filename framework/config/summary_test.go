package config_test

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

func TestSummary(t *testing.T) {
	c := mustLoadFile(t, "testdata/valid.yaml", env("E2E_TIMEOUT_SCALE", "2"))
	sum := c.Summary()
	for _, want := range []string{
		"file: " + c.File,
		"environment: local (type local, exportDelay 100ms, otlpProtocol http/protobuf, samplingTraces 460)",
		"implementation: caddy v2.11.9",
		"features: SpanName, Propagation, ErrorStatus, RequestAttributes, ResourceAttributes",
		"serviceName: tracegate-caddy",
		"resourceAttributes: deployment.environment.name=tracegate",
		"local variants: sampling-zero",
		"timeoutScale: 2",
		"  absence: timeout 4s, polling 100ms",
		"  gatewayReady: timeout 2m, polling 100ms",
		"  gatewayStop: timeout 20s, polling 100ms",
		"  requestConverged: timeout 1m, polling 200ms",
		"  span: timeout 20s, polling 50ms",
		"request: attemptTimeout 20s, retries 3, backoff 200ms doubling up to 2s, retryStatuses 502, 503, 504, consecutiveSuccesses 3",
		"debug: enabled false, pauseTimeout 30m, artifactsDir " + config.RunDir() + "/_artifacts",
	} {
		if !strings.Contains(sum, want+"\n") {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	if sum != c.Summary() {
		t.Error("summary is not stable")
	}
}
