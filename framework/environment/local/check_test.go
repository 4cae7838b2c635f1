package local

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
)

// Every local environment of ginkgo.yaml, each profile's template rendered as it renders it
// there (Caddy, the Envoy bootstrap, and its envoy-as-* mirrors, in each OTLP protocol), meets
// the fixture contract.
func TestRepositoryTemplatesMeetTheContract(t *testing.T) {
	for _, env := range []string{
		"local",
		"local-collector",
		"local-faults",
		"envoy",
		"envoy-http",
		"envoy-faults",
		"envoy-as-envoy-gateway",
		"envoy-as-kgateway",
	} {
		cfg := configtest.Repo(t, map[string]string{"E2E_ENV": env})
		if err := Check(cfg); err != nil {
			t.Errorf("E2E_ENV=%s (%s): %v", env, cfg.Implementation.Name, err)
		}
	}
}

// caddyWith is the repository's local Caddy config with its template replaced by a copy that
// edit changed.
func caddyWith(t *testing.T, edit func(string) string) (*config.Config, string) {
	t.Helper()
	cfg := configtest.Repo(t, map[string]string{"E2E_ENV": "local"})
	text, err := os.ReadFile(cfg.Implementation.Local.ConfigTemplate)
	if err != nil {
		t.Fatal(err)
	}
	edited := edit(string(text))
	if edited == string(text) {
		t.Fatal("the edit changed nothing in the Caddyfile template")
	}
	file := filepath.Join(t.TempDir(), "Caddyfile.tmpl")
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Implementation.Local.ConfigTemplate = file
	return cfg, file
}

// removing removes the Caddyfile block that starts with the line matching first, up to its
// closing brace at the same indentation.
func removing(first string) func(string) string {
	re := regexp.MustCompile(`(?ms)^\t` + first + `.*?^\t}\n`)
	return func(s string) string { return re.ReplaceAllString(s, "") }
}

func TestATemplateMissingARouteNamesTheFileTheRouteAndTheFeature(t *testing.T) {
	for _, c := range []struct {
		edit func(string) string
		want []string
	}{
		{
			removing(`@refused host`),
			[]string{"Host refused.status.example.com", "which StatusMatrix needs", "never names refused.status.example.com"},
		},
		{
			removing(`handle /path/with/route/descriptor`),
			[]string{"path /path/with/route/descriptor", "which SpanName needs", "never names /path/with/route/descriptor"},
		},
		// The route is there, to the wrong upstream.
		{func(s string) string {
			return strings.Replace(s, "reverse_proxy {{.RefusedAddr}}", "reverse_proxy {{.UpstreamAddr}}", 1)
		},
			[]string{"Host refused.status.example.com", "never uses {{.RefusedAddr}} or {{.RefusedPort}}"}},
		// Named in a comment only.
		{func(s string) string {
			return strings.Replace(removing(`@timeout host`)(s), "admin off", "admin off\n\t# timeout.status.example.com", 1)
		}, []string{"Host timeout.status.example.com", "which StatusMatrix needs"}},
	} {
		cfg, file := caddyWith(t, c.edit)
		err := Check(cfg)
		if err == nil {
			t.Errorf("no error for a template without %s", c.want[0])
			continue
		}
		for _, want := range append(c.want, file, "profiles/caddy.yaml: implementations.caddy.local.configTemplate") {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("the error does not say %q:\n%v", want, err)
			}
		}
	}
}

// A profile whose features need none of a route passes without it: kgateway's has no decorated
// route, and without StatusMatrix Caddy needs none of the status hosts.
func TestARouteIsNeededOnlyForTheFeaturesListed(t *testing.T) {
	cfg, _ := caddyWith(t, removing(`@refused host`))
	cfg.Implementation.Features = []string{"SpanName", "Propagation"}
	if err := Check(cfg); err != nil {
		t.Errorf("StatusMatrix not listed, yet: %v", err)
	}
	cfg, _ = caddyWith(t, removing(`handle /path/with/route/descriptor`))
	cfg.Implementation.SpanNames.Decorated = ""
	if err := Check(cfg); err != nil {
		t.Errorf("no decorated span name, yet: %v", err)
	}
}

func TestVariantsAreCheckedAgainstTheContract(t *testing.T) {
	cfg := configtest.Repo(t, map[string]string{"E2E_ENV": "local"})
	cfg.Implementation.Local.Variants = map[string]config.Variant{"sampling-zero": {}, "tracing-off": {}}
	err := Check(cfg)
	if err == nil || !strings.Contains(err.Error(), "the variant sampling-zero renders the same config and environment as the main gateway") ||
		!strings.Contains(err.Error(), "OTEL_TRACES_SAMPLER") {
		t.Errorf("a Caddy variant with no env of its own: got %v", err)
	}
	cfg.Implementation.Local.Variants = nil
	err = Check(cfg)
	if err == nil || !strings.Contains(err.Error(), "the variant sampling-zero, which Sampling needs") {
		t.Errorf("Sampling listed without the sampling-zero variant: got %v", err)
	}
	// A variant the profile says the gateway cannot be configured as is defined, never rendered.
	cfg.Implementation.Local.Variants = map[string]config.Variant{
		"sampling-zero": {Env: map[string]string{"OTEL_TRACES_SAMPLER": "always_off"}},
		"tracing-off":   {Unavailable: "its tracer cannot be turned off"},
	}
	if err := Check(cfg); err != nil {
		t.Errorf("tracing-off declared unavailable: got %v", err)
	}
	cfg.Implementation.Local.Variants = map[string]config.Variant{
		"sampling-zero": {Env: map[string]string{"OTEL_TRACES_SAMPLER": "always_off"}},
	}
	if err := Check(cfg); err == nil || !strings.Contains(err.Error(), "the variant tracing-off, which TraceState needs") {
		t.Errorf("TraceState listed without the tracing-off variant: got %v", err)
	}
}

// The check runs before the build: a template missing a route stops Provision before the
// profile's build command runs.
func TestAMissingRouteStopsTheRunBeforeTheBuild(t *testing.T) {
	cfg, _ := caddyWith(t, removing(`@noroute host`))
	built := filepath.Join(t.TempDir(), "built")
	cfg.Implementation.Local.Build = []string{"touch", built}
	_, err := Provider{Config: cfg}.Provision(t.Context())
	if err == nil || !strings.Contains(err.Error(), "Host noroute.example.net") {
		t.Errorf("want the missing route, got %v", err)
	}
	if _, statErr := os.Stat(built); statErr == nil {
		t.Errorf("the build ran before the contract check stopped the run")
	}
}

// The contract lists the template fields TemplateData has, in its order.
func TestTheContractListsEveryTemplateField(t *testing.T) {
	var have, listed []string
	for f := range reflect.TypeFor[TemplateData]().Fields() {
		have = append(have, f.Name)
	}
	for _, f := range contract.TemplateFields {
		listed = append(listed, f.Name)
	}
	if !reflect.DeepEqual(have, listed) {
		t.Errorf("TemplateData has the fields %v; contract.TemplateFields lists %v", have, listed)
	}
}
