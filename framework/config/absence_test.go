package config_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
)

// absenceConfig loads a local environment with the given exportDelay, absence wait timeout,
// absence factors and timeout scale.
func absenceConfig(t *testing.T, exportDelay, absenceTimeout string, markerFactor, exportDelayFactor, scale float64) *config.Config {
	t.Helper()
	return mustLoadFile(t, write(t, fmt.Sprintf(`
timeoutScale: %g
waits:
  default:
    absence: {timeout: %s}
absence: {markerFactor: %g, exportDelayFactor: %g}
environment: ci
environments:
  ci: {type: local, implementation: gw, exportDelay: %s, otlpProtocol: grpc}
implementations:
  gw: {local: {command: [gw]}}
`, scale, absenceTimeout, markerFactor, exportDelayFactor, exportDelay)), nil)
}

func TestAbsenceWindow(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name                      string
		exportDelay, absence      string
		markerFactor, delayFactor float64
		scale                     float64
		marker, want              time.Duration
	}{
		{"the marker's delay times its factor, when that is the larger", "10ms", "2s", 4, 3, 1, 50 * ms, 200 * ms},
		{"the export delay times its factor, when that is the larger", "100ms", "2s", 4, 3, 1, 5 * ms, 300 * ms},
		{"a marker that arrived before its response was read counts as no delay", "10ms", "2s", 4, 3, 1, -5 * ms, 30 * ms},
		{"at most the absence wait", "100ms", "2s", 4, 3, 1, 900 * ms, 2 * time.Second},
		{"the absence wait scaled", "100ms", "2s", 4, 3, 2, 1500 * ms, 4 * time.Second},
		{"never shorter than the export delay, whatever the absence wait", "5s", "2s", 4, 3, 1, 10 * ms, 5 * time.Second},
		{"never shorter than the export delay under a timeout scale below 1", "1s", "2s", 4, 3, 0.25, 10 * ms, time.Second},
		{"factors below 1 still leave the export delay", "100ms", "2s", 0.5, 0.5, 1, 10 * ms, 100 * ms},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := absenceConfig(t, tc.exportDelay, tc.absence, tc.markerFactor, tc.delayFactor, tc.scale)
			if got := c.AbsenceWindow(tc.marker); got != tc.want {
				t.Errorf("AbsenceWindow(%s) = %s, want %s (exportDelay %s, absence wait %s, factors %g and %g, scale %g)",
					tc.marker, got, tc.want, tc.exportDelay, tc.absence, tc.markerFactor, tc.delayFactor, tc.scale)
			}
		})
	}
}

func TestAbsenceWindowGrowsWithTheMarkerUpToTheWait(t *testing.T) {
	c := absenceConfig(t, "100ms", "3s", 4, 3, 1)
	prev := time.Duration(0)
	for d := time.Duration(0); d <= 2*time.Second; d += 50 * time.Millisecond {
		w := c.AbsenceWindow(d)
		if w < prev {
			t.Fatalf("AbsenceWindow(%s) = %s, shorter than %s for a quicker marker", d, w, prev)
		}
		if w < c.Environment.ExportDelay || w > 3*time.Second {
			t.Fatalf("AbsenceWindow(%s) = %s, outside [exportDelay %s, absence wait 3s]", d, w, c.Environment.ExportDelay)
		}
		prev = w
	}
}

func TestClusterExportDelayOfTheImplementation(t *testing.T) {
	for _, tc := range []struct {
		name             string
		envDelay, impl   string
		want             time.Duration
		source, notInSum string
	}{
		{"the implementation's proxies flush later than the environment says", "100ms", "5s", 5 * time.Second,
			"exportDelay 5s from implementations.eg.cluster.exportDelay, above environments.kind.exportDelay 100ms", ""},
		{"the environment's, when larger", "10s", "5s", 10 * time.Second, "exportDelay 10s,", "from implementations"},
		{
			"the environment's, when the implementation declares none",
			"100ms",
			"0s",
			100 * time.Millisecond,
			"exportDelay 100ms,",
			"from implementations",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := configtest.ClusterDir(
				t,
				"    implementation: eg\n    otlpProtocol: grpc\n    cluster:\n      kubernetesVersion",
				"    implementation: eg\n    exportDelay: "+tc.envDelay+"\n    otlpProtocol: grpc\n    cluster:\n      kubernetesVersion",
				"      kubernetesVersionsSource: Envoy Gateway's compatibility matrix\n",
				"      kubernetesVersionsSource: Envoy Gateway's compatibility matrix\n      exportDelay: "+tc.impl+"\n",
			)
			c := mustLoadFile(t, path, nil)
			if c.Environment.ExportDelay != tc.want {
				t.Errorf("ExportDelay = %s, want %s", c.Environment.ExportDelay, tc.want)
			}
			if got := c.AbsenceWindow(0); got < tc.want {
				t.Errorf("AbsenceWindow(0) = %s, shorter than the export delay %s", got, tc.want)
			}
			sum := c.Summary()
			if !strings.Contains(sum, tc.source) || (tc.notInSum != "" && strings.Contains(sum, tc.notInSum)) {
				t.Errorf("summary should say %q (and not %q):\n%s", tc.source, tc.notInSum, sum)
			}
		})
	}
}

func TestRepositoryKgatewayExportDelayIsEnvoys(t *testing.T) {
	c, err := config.LoadFile("../../ginkgo.yaml", env("E2E_ENV", "kind", "E2E_IMPLEMENTATION", "kgateway"), tracing.Names())
	if err != nil {
		t.Fatal(err)
	}
	if c.Environment.ExportDelay < 5*time.Second {
		t.Errorf("kind with kgateway: exportDelay %s, but kgateway's Envoys keep Envoy's 5 s flush interval", c.Environment.ExportDelay)
	}
	if c.AbsenceWindow(0) < 5*time.Second {
		t.Errorf("kind with kgateway: absence window %s, shorter than the 5 s flush interval", c.AbsenceWindow(0))
	}
}
