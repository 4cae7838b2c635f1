package existing_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/existing"
)

// TestPlan: an existing cluster gets nothing installed and nothing deleted but the run's
// namespace.
func TestPlan(t *testing.T) {
	cfg := configtest.Repo(t, map[string]string{"E2E_ENV": "existing"})
	plan := existing.New(cfg, nil).Plan()
	want := []string{"cluster", "crds", "helm", "receiver", "fixtures", "port-forward", "teardown"}
	if got := plan.Phases(); !slices.Equal(got, want) {
		t.Errorf("phases %v, want %v\n%s", got, want, plan)
	}
	text := plan.String()
	for _, bad := range []string{"helm upgrade", "helm template", "delete kind", "create the Gateway API CRDs"} {
		if strings.Contains(text, bad) {
			t.Errorf("the plan of an existing cluster has %q:\n%s", bad, text)
		}
	}
	if !strings.Contains(text, "check that GatewayClass tracegate-eg is Accepted") {
		t.Errorf("plan:\n%s", text)
	}
}

func TestRouteAddress(t *testing.T) {
	ip, err := existing.RouteAddress(context.Background(), "127.0.0.1")
	if err != nil || !ip.IsLoopback() {
		t.Errorf("RouteAddress(127.0.0.1) = %v, %v; want a loopback address", ip, err)
	}
}

// TestResolveKubeconfig: the commands of a failure's artifacts name the real kubeconfig file
// and context, not "$KUBECONFIG or ~/.kube/config" (issue 15, problem 5).
func TestResolveKubeconfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "kc")
	kc := "apiVersion: v1\nkind: Config\ncurrent-context: mine\ncontexts: [{name: mine, context: {cluster: c, user: u}}]\n" +
		"clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]\nusers: [{name: u, user: {}}]\n"
	if err := os.WriteFile(file, []byte(kc), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		name, kubeconfig, context string
		env                       map[string]string
		wantFile, wantContext     string
	}{
		{"from KUBECONFIG", "", "", map[string]string{"KUBECONFIG": file}, file, "mine"},
		{"explicit file and context", file, "other", nil, file, "other"},
		{"home", "", "", map[string]string{"HOME": dir}, filepath.Join(dir, ".kube", "config"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "home" {
				if err := os.MkdirAll(filepath.Join(dir, ".kube"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(
					filepath.Join(dir, ".kube", "config"),
					[]byte(strings.Replace(kc, "current-context: mine", "current-context: ''", 1)),
					0o600,
				); err != nil {
					t.Fatal(err)
				}
			}
			f, c, err := cluster.ResolveKubeconfig(tc.kubeconfig, tc.context, env(tc.env))
			if err != nil || f != tc.wantFile || c != tc.wantContext {
				t.Errorf("ResolveKubeconfig = %q, %q, %v; want %q, %q", f, c, err, tc.wantFile, tc.wantContext)
			}
		})
	}
}
