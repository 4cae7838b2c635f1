package contract

import (
	"strings"
	"testing"
)

// Each request of the contract is one of its own: no two routes share a Host and path.
func TestEveryRouteIsARequestOfItsOwn(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Routes {
		key := r.MethodOrGet() + " " + r.Host + r.Path
		if seen[key] {
			t.Errorf("two routes for %s", key)
		}
		seen[key] = true
		if r.Own == OwnHost && strings.Contains(r.Host, "*") || r.Own == OwnPath && strings.Contains(r.Path, "*") {
			t.Errorf("%s: a route of its own cannot be matched on what a spec fills in", key)
		}
	}
}

func TestWildcardsAreFilledIn(t *testing.T) {
	if got := SamplingZero.HostWith("ab12"); got != "sampling-zero-ab12.example.com" {
		t.Errorf("HostWith: %s", got)
	}
	if got := StatusFromUpstream.PathWith("404"); got != "/status/404" {
		t.Errorf("PathWith: %s", got)
	}
}

// A route named only in a comment line is missing; one named in the config is not.
func TestCommentsDoNotCount(t *testing.T) {
	p := Profile{Template: "gw.tmpl", Where: "gw.yaml: implementations.gw.local.configTemplate", Features: []string{"StatusMatrix"}}
	fields := map[string]string{"UpstreamAddr": "127.0.0.1:3", "UpstreamPort": "3", "RefusedAddr": "127.0.0.1:41006", "RefusedPort": "41006"}
	config := "  # refused.status.example.com\n// timeout.status.example.com\nnoroute.example.net\n"
	err := Check(p, Rendered{Config: config, Fields: fields})
	if err == nil ||
		!strings.Contains(err.Error(), "never names refused.status.example.com") ||
		!strings.Contains(err.Error(), "never names timeout.status.example.com") ||
		strings.Contains(err.Error(), "never names noroute.example.net") ||
		!strings.HasPrefix(err.Error(), "gw.tmpl (gw.yaml: implementations.gw.local.configTemplate)") {
		t.Errorf("got %v", err)
	}
	config = "refused.status.example.com -> 127.0.0.1:41006\ntimeout.status.example.com -> 127.0.0.1:3\nnoroute.example.net\n"
	if err := Check(p, Rendered{Config: config, Fields: fields}); err != nil {
		t.Errorf("a config with the three routes: %v", err)
	}
}

func TestReplaceRewritesOnlyBetweenTheMarkers(t *testing.T) {
	text := "before\n" + BeginMarker + "\nold\n" + EndMarker + "\nafter\n"
	got, err := Replace(text, "new\n")
	if err != nil || got != "before\n"+BeginMarker+"\nnew\n"+EndMarker+"\nafter\n" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := Replace("no markers", "x"); err == nil {
		t.Error("no error without the markers")
	}
}
