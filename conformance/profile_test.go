package conformance

import (
	"path/filepath"
	"testing"

	"github.com/tracegate/tracegate/profile"
)

// A profile written with the public profile types goes through WithProfile as a file would.
func TestProfileAsProfileTypes(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeProfile(t, dir, "gw.tmpl", "listen {{.GatewayPort}}\n")
	p := profile.File{Implementations: map[string]profile.Implementation{"mine": {
		Features:  []string{"SpanName"},
		SpanNames: profile.SpanNames{Default: "{host}"},
		Local:     &profile.Local{Command: []string{"bin/gw"}, ConfigTemplate: "gw.tmpl", ReadyPath: "/ready"},
	}}}
	c, err := load(t, WithProfile(p))
	if err != nil {
		t.Fatal(err)
	}
	if c.Implementation.Name != "mine" ||
		c.Implementation.Local.ConfigTemplate != filepath.Join(dir, "gw.tmpl") ||
		c.Implementation.SpanNames.Default != "{host}" {
		t.Errorf(
			"implementation %s, template %s, span name %q; want mine, %s, {host}",
			c.Implementation.Name,
			c.Implementation.Local.ConfigTemplate,
			c.Implementation.SpanNames.Default,
			filepath.Join(dir, "gw.tmpl"),
		)
	}
}
