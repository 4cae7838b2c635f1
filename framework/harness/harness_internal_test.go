package harness

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/report"
)

func TestUnsupportedNamesTheFeatureAndTheProfile(t *testing.T) {
	features := []report.Feature{{Name: "SpanName", Label: "Feature:SpanName"}, {Name: "UpstreamSpan", Label: "Feature:UpstreamSpan"}}
	cfg := &config.Config{
		File:           "/repo/ginkgo.yaml",
		Implementation: config.Implementation{Name: "caddy", Version: "v2.11.9", Features: []string{"SpanName"}},
	}
	if got := unsupported([]string{"tracing", "Feature:SpanName"}, features, cfg); got != "" {
		t.Errorf("a listed feature was skipped: %q", got)
	}
	got := unsupported([]string{"tracing", "Feature:UpstreamSpan"}, features, cfg)
	for _, want := range []string{
		"caddy v2.11.9 does not support feature UpstreamSpan",
		"implementations.caddy.features in /repo/ginkgo.yaml",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("reason %q lacks %q", got, want)
		}
	}
	if got := unsupported([]string{"tracing", "Feature:Unregistered"}, features, cfg); got != "" {
		t.Errorf("a label of no registered feature was skipped: %q", got)
	}
}
