package cluster

import (
	"errors"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

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
		"gateway programmed": {
			yaml: "kind: Gateway\nstatus: {conditions: [{type: Accepted, status: 'True'}, {type: Programmed, status: 'True'}]}",
			ok:   true,
		},
		"gateway pending": {
			yaml: "kind: Gateway\nstatus: {conditions: [{type: Programmed, status: 'False', reason: Pending, message: no address}]}",
			got:  "Programmed=False (Pending: no address)",
		},
		"gateway without status": {yaml: "kind: Gateway", got: "Programmed not reported"},
		"route accepted by every parent": {yaml: `kind: HTTPRoute
status: {parents: [{conditions: [{type: Accepted, status: 'True'}, {type: ResolvedRefs, status: 'True'}]},
                   {conditions: [{type: Accepted, status: 'True'}, {type: ResolvedRefs, status: 'True'}]}]}`, ok: true},
		"route with unresolved backend": {yaml: `kind: HTTPRoute
status: {parents: [{conditions: [{type: Accepted, status: 'True'}, ` +
			`{type: ResolvedRefs, status: 'False', reason: BackendNotFound, message: echo}]}]}`,
			got: "ResolvedRefs=False (BackendNotFound: echo)"},
		"route not yet seen": {yaml: "kind: HTTPRoute", got: "no status yet"},
		"policy accepted": {
			yaml: "kind: BackendTrafficPolicy\nstatus: {ancestors: [{conditions: [{type: Accepted, status: 'True'}]}]}",
			ok:   true,
		},
		"policy rejected": {yaml: "kind: BackendTrafficPolicy\nstatus: {ancestors: [{conditions: [{type: Accepted, status: 'False', " +
			"reason: Invalid, message: bad}]}]}", got: "Accepted=False (Invalid: bad)"},
		"deployment":          {yaml: "kind: Deployment\nstatus: {conditions: [{type: Available, status: 'True'}]}", ok: true},
		"kind without status": {yaml: "kind: Service", ok: true},
		// Problem 6 of issue 15: a condition of an older generation says nothing of the object.
		"gateway programmed for an older generation": {
			yaml: "kind: Gateway\nmetadata: {generation: 2}\nstatus: {conditions: [{type: Programmed, status: 'True', observedGeneration: 1}]}",
			got:  "Programmed=True (<nil>: <nil>) for generation 1, the object is at generation 2 (not reconciled yet)",
		},
		"gateway programmed for its generation": {
			yaml: "kind: Gateway\nmetadata: {generation: 2}\nstatus: {conditions: [{type: Programmed, status: 'True', observedGeneration: 2}]}",
			ok:   true,
		},
		"route accepted for an older generation": {yaml: `kind: HTTPRoute
metadata: {generation: 3}
status: {parents: [{conditions: [{type: Accepted, status: 'True', observedGeneration: 2}, ` +
			`{type: ResolvedRefs, status: 'True', observedGeneration: 3}]}]}`,
			got: "for generation 2, the object is at generation 3"},
		"policy accepted for an older generation": {yaml: "kind: BackendTrafficPolicy\nmetadata: {generation: 2}\n" +
			"status: {ancestors: [{conditions: [{type: Accepted, status: 'True', observedGeneration: 1}]}]}",
			got: "not reconciled yet"},
		"deployment status of an older generation": {
			yaml: "kind: Deployment\nmetadata: {generation: 2}\nstatus: {observedGeneration: 1, conditions: [{type: Available, status: 'True'}]}",
			got:  "status of generation 1, the object is at generation 2",
		},
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
	for _, w := range []string{
		"upgrade --install eg oci://x/chart --version v1.2.3 --namespace ns --create-namespace",
		"--wait --timeout",
		"--kubeconfig /tmp/kc --kube-context kind-x",
		"--set a=b",
	} {
		if !strings.Contains(s, w) {
			t.Errorf("helm %s lacks %q", s, w)
		}
	}
	s = strings.Join(helmArgs(testConfig(t), testRelease(true), "/tmp/kc", ""), " ")
	if !strings.HasPrefix(s, "template eg oci://x/chart --version v1.2.3 --namespace ns") ||
		strings.Contains(s, "--wait") ||
		strings.Contains(s, "kubeconfig") {
		t.Errorf("helm %s: want a template command that touches no cluster", s)
	}
}

// TestFormatEvents: events that carry only eventTime (events.k8s.io) are timed and counted by
// it and their series, not printed as 00:00:00 (x0); events of earlier runs are left out where
// a since is given; the rest come oldest first.
func TestFormatEvents(t *testing.T) {
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	events := []corev1.Event{
		{Reason: "Late", Type: "Normal", InvolvedObject: corev1.ObjectReference{Kind: "Gateway", Name: "gw"},
			LastTimestamp: metav1.NewTime(at("2026-12-01T10:00:05Z")), Count: 2},
		{Reason: "OnlyEventTime", Type: "Warning", InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "p"},
			EventTime: metav1.NewMicroTime(at("2026-12-01T10:00:01Z"))},
		{Reason: "Series", Type: "Normal", InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "q"},
			EventTime: metav1.NewMicroTime(at("2026-12-01T10:00:00Z")),
			Series:    &corev1.EventSeries{Count: 7, LastObservedTime: metav1.NewMicroTime(at("2026-12-01T10:00:03Z"))}},
		{Reason: "EarlierRun", Type: "Normal", InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "old"},
			LastTimestamp: metav1.NewTime(at("2026-12-01T09:00:00Z")), Count: 1},
	}
	got := formatEvents(events, at("2026-12-01T09:30:00Z"))
	want := "10:00:01 Warning Pod/p OnlyEventTime:  (x1)\n10:00:03 Normal Pod/q Series:  (x7)\n10:00:05 Normal Gateway/gw Late:  (x2)\n"
	if got != want {
		t.Errorf("events:\n%s\nwant:\n%s", got, want)
	}
	if all := formatEvents(events, time.Time{}); !strings.Contains(all, "EarlierRun") {
		t.Errorf("without since every event belongs in, got:\n%s", all)
	}
}

// TestNodesReady: a cluster without nodes is not ready; every node must be.
func TestNodesReady(t *testing.T) {
	ready := corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "a"},
		Status:     corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}},
	}
	notReady := corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "b"}}
	for _, tc := range []struct {
		nodes []corev1.Node
		ok    bool
		seen  string
	}{
		{nil, false, "0 nodes"},
		{[]corev1.Node{ready}, true, ""},
		{[]corev1.Node{ready, notReady}, false, "not Ready: [b]"},
	} {
		ok, seen, _ := nodesReady(tc.nodes)
		if ok != tc.ok || !strings.Contains(seen, tc.seen) {
			t.Errorf("nodesReady(%d nodes) = %t, %q; want %t, %q", len(tc.nodes), ok, seen, tc.ok, tc.seen)
		}
	}
}

// TestUnreachableNode: a port-forward that fails with resolve_deny says what it means and is
// not retried (issue 15, problem 7); other errors are retried.
func TestUnreachableNode(t *testing.T) {
	err := errors.New(`error upgrading connection: error dialing backend: proxy error from 127.0.0.1:6443 while dialing 10.0.0.5:10250, ` +
		`code 502: 502 Bad Gateway (resolve_deny)`)
	if why := unreachableNode(err); !strings.Contains(why, "cannot reach the kubelet") {
		t.Errorf("unreachableNode = %q", why)
	}
	if why := unreachableNode(errors.New("connection refused")); why != "" {
		t.Errorf("a refused connection is worth retrying, got %q", why)
	}
}
