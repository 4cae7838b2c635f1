package config_test

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
)

// spanNames.default is the Host header, the method (as the conventions recommend without a
// route) or a literal.
func TestDefaultSpanName(t *testing.T) {
	for def, want := range map[string]string{"{host}": "example.com", "{method}": "GET", "ingress": "ingress"} {
		if got := (config.SpanNames{Default: def}).DefaultFor("example.com", "GET"); got != want {
			t.Errorf("spanNames.default %q names a GET to example.com %q, want %q", def, got, want)
		}
	}
}

// variantServiceNames gives the service.name of a variant without a configured one: {gateway}
// is the variant's Gateway, {namespace} any namespace name (a cluster run's is random).
func TestVariantServiceNamePattern(t *testing.T) {
	path := configtest.ClusterDir(t, "    attributeNaming: envoy\n",
		"    attributeNaming: envoy\n    variantServiceNames: {sampling-zero: \"{gateway}.{namespace}\"}\n")
	c := mustLoadFile(t, path, env("E2E_ENV", "existing"))
	pattern, ok := c.Implementation.ServiceNamePattern("sampling-zero")
	if !ok {
		t.Fatal("no pattern for sampling-zero")
	}
	for name, want := range map[string]bool{
		"tracegate-sampling-zero.tracegate-3f9a": true, "tracegate-sampling-zero.tracegate": true,
		"tracegate.tracegate-3f9a": false, "tracegate-sampling-zero": false, "tracegate-sampling-zero.Tracegate": false,
		"xtracegate-sampling-zero.tracegate": false, "tracegate-sampling-zero.a.b": false,
	} {
		if pattern.MatchString(name) != want {
			t.Errorf("service.name %q matches %s: %v, want %v", name, pattern, !want, want)
		}
	}
	if _, ok := c.Implementation.ServiceNamePattern("other"); ok {
		t.Error("a pattern for a variant the profile does not declare")
	}
}

func TestVariantServiceNameErrors(t *testing.T) {
	for name, tc := range map[string]struct{ entry, want string }{
		"unknown variant":     {`{nope: "{gateway}.{namespace}"}`, `implementations.eg.variantServiceNames.nope: "nope" is not a variant of this implementation; allowed: sampling-zero`},
		"unknown placeholder": {`{sampling-zero: "{gateway}.{ns}"}`, `implementations.eg.variantServiceNames.sampling-zero: "{ns}" is no placeholder; allowed: {gateway}, {namespace}`},
		"empty":               {`{sampling-zero: ""}`, `implementations.eg.variantServiceNames.sampling-zero: must not be empty`},
	} {
		t.Run(name, func(t *testing.T) {
			path := configtest.ClusterDir(t, "    attributeNaming: envoy\n", "    attributeNaming: envoy\n    variantServiceNames: "+tc.entry+"\n")
			_, err := config.LoadFile(path, env(), config.TestFeatures)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error lacks %q:\n%v", tc.want, err)
			}
		})
	}
}
