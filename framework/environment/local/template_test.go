package local

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

func testEnvironment(t *testing.T) (*Environment, TemplateData) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "gw.tmpl")
	os.WriteFile(tmpl, []byte("listen {{.GatewayAddr}} upstream {{.UpstreamAddr}} export {{.OTLPEndpoint}}\n"), 0o644)
	cfg := &config.Config{
		File: filepath.Join(dir, "ginkgo.yaml"), Dir: dir,
		Implementation: config.Implementation{
			Name: "gw", Dir: filepath.Join(dir, "profile"), ServiceName: "svc", ResourceAttributes: map[string]string{"b": "2", "a": "1"},
			Local: &config.LocalProfile{
				Command: []string{"bin/gw", "--config", "{{.ConfigFile}}"}, ConfigTemplate: tmpl, ConfigName: "gw.conf",
				Env: map[string]string{"OTEL_SERVICE_NAME": "from-profile", "PORT": "{{.GatewayPort}}", "X": "profile"},
			},
		},
	}
	data := TemplateData{GatewayAddr: "127.0.0.1:8080", GatewayPort: 8080, UpstreamAddr: "127.0.0.1:9090",
		OTLPEndpoint: "http://127.0.0.1:4318", OTLPProtocol: "http/protobuf", ExportDelayMillis: 100,
		ConfigFile: filepath.Join(dir, "gw.conf"), WorkDir: dir, Dir: dir}
	return &Environment{cfg: cfg, workDir: dir, log: io.Discard}, data
}

// lastValue is what a process sees for key: exec keeps the last of duplicate entries.
func lastValue(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, _ := strings.Cut(kv, "="); k == key {
			v = val
		}
	}
	return v
}

func TestRenderWritesConfigAndLayersEnvironment(t *testing.T) {
	e, data := testEnvironment(t)
	argv, env, err := e.render(e.cfg.Implementation.Local, data, map[string]string{"X": "variant"})
	if err != nil {
		t.Fatal(err)
	}
	// bin/gw is the profile's, beside its file, not ginkgo.yaml's (an E2E_PROFILE file's own).
	if argv[0] != filepath.Join(e.cfg.Implementation.Dir, "bin/gw") || argv[2] != data.ConfigFile {
		t.Fatalf("argv %v", argv)
	}
	written, _ := os.ReadFile(data.ConfigFile)
	if string(written) != "listen 127.0.0.1:8080 upstream 127.0.0.1:9090 export http://127.0.0.1:4318\n" {
		t.Fatalf("rendered config %q", written)
	}
	for key, want := range map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
		"OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
		"OTEL_BSP_SCHEDULE_DELAY":     "100",
		"OTEL_RESOURCE_ATTRIBUTES":    "a=1,b=2",
		"OTEL_SERVICE_NAME":           "from-profile", // the profile's env wins over serviceName
		"PORT":                        "8080",
		"X":                           "variant", // and a variant's env over the profile's
		"HOME":                        e.workDir,
	} {
		if got := lastValue(env, key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
}

func TestRenderNamesTheTemplateAndTheFieldsAvailable(t *testing.T) {
	e, data := testEnvironment(t)
	e.cfg.Implementation.Local.Command = []string{"gw", "{{.NoSuchField}}"}
	_, _, err := e.render(e.cfg.Implementation.Local, data, nil)
	if err == nil ||
		!strings.Contains(err.Error(), "implementations.gw.local.command[1]") ||
		!strings.Contains(err.Error(), "fields available: GatewayAddr") {
		t.Fatalf("want an error naming the field and the fields available, got %v", err)
	}
}

func TestUnknownVariantListsTheDefinedOnes(t *testing.T) {
	e, _ := testEnvironment(t)
	e.cfg.Implementation.Local.Variants = map[string]config.Variant{"sampling-zero": {}}
	_, err := e.Variant(t.Context(), "sampling-full")
	if err == nil || !strings.Contains(err.Error(), `has no "sampling-full"; defined: [sampling-zero]`) {
		t.Fatalf("got %v", err)
	}
}

func TestGatewayEnvironmentIsHermetic(t *testing.T) {
	e, data := testEnvironment(t)
	var log bytes.Buffer
	e.log = &log
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:9")
	t.Setenv("OTEL_TRACES_SAMPLER", "always_off")
	t.Setenv("SOME_TOKEN", "secret")
	_, env, err := e.render(e.cfg.Implementation.Local, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_SAMPLER", "SOME_TOKEN"} {
		if lastValue(env, name) != "" {
			t.Errorf("%s from the caller's environment reached the gateway: %q", name, env)
		}
	}
	if lastValue(env, "PATH") == "" || lastValue(env, "OTEL_EXPORTER_OTLP_ENDPOINT") != data.OTLPEndpoint {
		t.Errorf("PATH or the suite's own endpoint missing: %q", env)
	}
	if got := log.String(); !strings.Contains(got, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_TRACES_SAMPLER") ||
		strings.Contains(got, "SOME_TOKEN") {
		t.Errorf("the log must name the dropped OTEL_* variables, and only those: %q", got)
	}
}
