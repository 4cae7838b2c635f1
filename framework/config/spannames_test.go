package config_test

import (
	"testing"

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
