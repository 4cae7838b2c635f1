package cluster_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/tracegate/tracegate/framework/environment/cluster"
)

func objects(t *testing.T, docs ...string) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	for _, d := range docs {
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(d), &u.Object); err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	return out
}

func TestApplyOverlay(t *testing.T) {
	fixtures := objects(t,
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: echo, namespace: run}\nspec: {replicas: 1}",
		"apiVersion: v1\nkind: Service\nmetadata: {name: echo, namespace: run}\nspec: {selector: {app: echo}, ports: [{port: 8080}]}",
		"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: run, labels: {a: b}}\n"+
			"spec: {listeners: [{name: http, port: 8080}, {name: other, port: 8081}]}",
	)
	overlay := objects(t,
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: echo, annotations: {tracegate.io/overlay: remove}}",
		"apiVersion: v1\nkind: Service\nmetadata: {name: echo, annotations: {tracegate.io/overlay: merge}}\nspec: {selector: null}",
		"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, annotations: {tracegate.io/overlay: merge, keep: "+
			"me}}\nspec: {listeners: [{name: http, port: 10080}]}",
		"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: echo-upstream, annotations: {tracegate.io/overlay: add}}",
		"apiVersion: v1\nkind: Service\nmetadata: {name: standin, namespace: elsewhere, annotations: {tracegate.io/overlay: add}}",
	)
	got, err := cluster.ApplyOverlay(fixtures, overlay, "run")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range got {
		names = append(names, o.GetKind()+" "+o.GetNamespace()+"/"+o.GetName())
	}
	want := "Service run/echo, Gateway run/gw, EndpointSlice run/echo-upstream, Service elsewhere/standin"
	if s := strings.Join(names, ", "); s != want {
		t.Fatalf("objects %s\nwant    %s", s, want)
	}
	if _, found, _ := unstructured.NestedMap(got[0].Object, "spec", "selector"); found {
		t.Errorf("null did not remove the Service's selector: %v", got[0].Object)
	}
	if ports, _, _ := unstructured.NestedSlice(got[0].Object, "spec", "ports"); len(ports) != 1 {
		t.Errorf("the merge lost the Service's ports: %v", got[0].Object)
	}
	listeners, _, _ := unstructured.NestedSlice(got[1].Object, "spec", "listeners")
	if len(listeners) != 1 ||
		listeners[0].(map[string]any)["port"] != int64(10080) && listeners[0].(map[string]any)["port"] != float64(10080) {
		t.Errorf("a list is replaced as a whole: %v", listeners)
	}
	if got[1].GetLabels()["a"] != "b" || got[1].GetAnnotations()["keep"] != "me" {
		t.Errorf("the merge lost labels or annotations: %v", got[1].Object["metadata"])
	}
	if _, marked := got[1].GetAnnotations()[cluster.OverlayAnnotation]; marked {
		t.Errorf("the overlay's own annotation stayed on the object")
	}
	if fixtures[1].Object["spec"].(map[string]any)["selector"] == nil {
		t.Errorf("ApplyOverlay changed its input")
	}
}

// TestOverlayErrors: an overlay that does not match the fixtures fails instead of drifting.
func TestOverlayErrors(t *testing.T) {
	fixtures := objects(t, "apiVersion: v1\nkind: Service\nmetadata: {name: echo, namespace: run}")
	for name, tc := range map[string]struct{ doc, want string }{
		"merge of nothing": {
			"apiVersion: v1\nkind: Service\nmetadata: {name: ecko, annotations: {tracegate.io/overlay: merge}}",
			"overlay merges Service ecko, which no fixture has",
		},
		"remove of nothing": {
			"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: echo, annotations: {tracegate.io/overlay: remove}}",
			"overlay removes Deployment echo, which no fixture has",
		},
		"add of a fixture": {
			"apiVersion: v1\nkind: Service\nmetadata: {name: echo, annotations: {tracegate.io/overlay: add}}",
			"overlay adds Service echo, which the fixtures already have",
		},
		"unmarked": {
			"apiVersion: v1\nkind: Service\nmetadata: {name: echo}",
			`annotation tracegate.io/overlay is ""; allowed: add, merge, remove`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := cluster.ApplyOverlay(fixtures, objects(t, tc.doc), "run")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
