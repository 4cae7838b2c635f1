package cluster

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// TestObjectReady checks the status each kind of fixture is waited on for, and that a miss says
// what was seen instead.
func TestObjectReady(t *testing.T) {
	for name, tc := range map[string]struct {
		yaml string
		ok   bool
		got  string
	}{
		"gateway programmed": {yaml: "kind: Gateway\nstatus: {conditions: [{type: Accepted, status: 'True'}, {type: Programmed, status: 'True'}]}", ok: true},
		"gateway pending": {yaml: "kind: Gateway\nstatus: {conditions: [{type: Programmed, status: 'False', reason: Pending, message: no address}]}",
			got: "Programmed=False (Pending: no address)"},
		"gateway without status": {yaml: "kind: Gateway", got: "Programmed not reported"},
		"route accepted by every parent": {yaml: `kind: HTTPRoute
status: {parents: [{conditions: [{type: Accepted, status: 'True'}, {type: ResolvedRefs, status: 'True'}]},
                   {conditions: [{type: Accepted, status: 'True'}, {type: ResolvedRefs, status: 'True'}]}]}`, ok: true},
		"route with unresolved backend": {yaml: `kind: HTTPRoute
status: {parents: [{conditions: [{type: Accepted, status: 'True'}, {type: ResolvedRefs, status: 'False', reason: BackendNotFound, message: echo}]}]}`,
			got: "ResolvedRefs=False (BackendNotFound: echo)"},
		"route not yet seen":  {yaml: "kind: HTTPRoute", got: "no status yet"},
		"policy accepted":     {yaml: "kind: BackendTrafficPolicy\nstatus: {ancestors: [{conditions: [{type: Accepted, status: 'True'}]}]}", ok: true},
		"policy rejected":     {yaml: "kind: BackendTrafficPolicy\nstatus: {ancestors: [{conditions: [{type: Accepted, status: 'False', reason: Invalid, message: bad}]}]}", got: "Accepted=False (Invalid: bad)"},
		"deployment":          {yaml: "kind: Deployment\nstatus: {conditions: [{type: Available, status: 'True'}]}", ok: true},
		"kind without status": {yaml: "kind: Service", ok: true},
	} {
		t.Run(name, func(t *testing.T) {
			u := &unstructured.Unstructured{}
			if err := yaml.Unmarshal([]byte(tc.yaml), &u.Object); err != nil {
				t.Fatal(err)
			}
			ok, got := objectReady(u, []string{"BackendTrafficPolicy"})
			if ok != tc.ok || !strings.Contains(got, tc.got) {
				t.Errorf("objectReady = %t, %q; want %t, %q", ok, got, tc.ok, tc.got)
			}
		})
	}
}

func TestHelmArgs(t *testing.T) {
	// Only the shape: no shell, every argument its own, the kubeconfig of the run.
	s := strings.Join(helmArgs(testConfig(t), testRelease(false), "/tmp/kc", "kind-x"), " ")
	for _, w := range []string{"upgrade --install eg oci://x/chart --version v1.2.3 --namespace ns --create-namespace", "--wait --timeout", "--kubeconfig /tmp/kc --kube-context kind-x", "--set a=b"} {
		if !strings.Contains(s, w) {
			t.Errorf("helm %s lacks %q", s, w)
		}
	}
	s = strings.Join(helmArgs(testConfig(t), testRelease(true), "/tmp/kc", ""), " ")
	if !strings.HasPrefix(s, "template eg oci://x/chart --version v1.2.3 --namespace ns") || strings.Contains(s, "--wait") || strings.Contains(s, "kubeconfig") {
		t.Errorf("helm %s: want a template command that touches no cluster", s)
	}
}
