package process

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChildKeepsItsOutputAndHowItEnded(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "child.log")
	c, err := Start([]string{"sh", "-c", "echo bad config: no such field; exit 3"}, t.TempDir(), nil, logPath)
	if err != nil {
		t.Fatal(err)
	}
	<-c.Exited()
	if !strings.Contains(c.Tail(), "bad config: no such field") || !strings.Contains(c.ExitError().Error(), "exit status 3") {
		t.Errorf("tail %q, exit %v; want the output and exit status 3", c.Tail(), c.ExitError())
	}
	if data, err := os.ReadFile(logPath); err != nil || !strings.Contains(string(data), "bad config") {
		t.Errorf("log %q (%v), want the output", data, err)
	}
}

func TestHermeticKeepsOnlyTheInheritedVariables(t *testing.T) {
	kept, dropped := Hermetic([]string{
		"PATH=/bin",
		"OTEL_TRACES_SAMPLER=always_off",
		"SOME_TOKEN=secret",
		"OTEL_EXPORTER_OTLP_ENDPOINT=http://x",
	})
	if strings.Join(kept, " ") != "PATH=/bin" || strings.Join(dropped, " ") != "OTEL_EXPORTER_OTLP_ENDPOINT OTEL_TRACES_SAMPLER" {
		t.Errorf("kept %q, dropped %q", kept, dropped)
	}
}
