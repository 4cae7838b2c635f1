package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/wait"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/e2e-framework/klient/decoder"
	"sigs.k8s.io/e2e-framework/klient/k8s"
	"sigs.k8s.io/e2e-framework/klient/k8s/resources"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
)

// restConfig loads a kubeconfig ("" means $KUBECONFIG or ~/.kube/config) at a context ("" means
// its current one).
func restConfig(kubeconfig, context string) (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if kubeconfig != "" {
		rules.ExplicitPath = kubeconfig
	}
	rc, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{
		CurrentContext: context,
	}).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("loading kubeconfig %s (context %q): %w", orEnv(kubeconfig), context, err)
	}
	// kubectl's rates, not client-go's default 5 per second (burst 10): installing the CRDs
	// (about 30 requests for Gateway API's, more for an implementation's) and waiting on them
	// spent seconds throttled on the client, with the API server idle.
	rc.QPS, rc.Burst = 50, 300
	return rc, nil
}

// ResolveKubeconfig names the kubeconfig file and context a run uses, for commands people copy:
// "" is $KUBECONFIG when it names one file (a list stays "", as kubectl reads it then), or
// ~/.kube/config; a context "" is the file's current context.
func ResolveKubeconfig(kubeconfig, kubeContext string, getenv func(string) string) (string, string, error) {
	if kubeconfig == "" {
		if env := getenv("KUBECONFIG"); env != "" {
			if list := filepath.SplitList(env); len(list) == 1 {
				kubeconfig = list[0]
			}
		} else if home := getenv("HOME"); home != "" {
			kubeconfig = filepath.Join(home, ".kube", "config")
		}
	}
	if kubeContext != "" {
		return kubeconfig, kubeContext, nil
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if kubeconfig != "" {
		rules.ExplicitPath = kubeconfig
	}
	raw, err := rules.Load()
	if err != nil {
		return "", "", fmt.Errorf("loading kubeconfig %s: %w", orEnv(kubeconfig), err)
	}
	return kubeconfig, raw.CurrentContext, nil
}

func orEnv(kubeconfig string) string {
	if kubeconfig == "" {
		return "$KUBECONFIG or ~/.kube/config"
	}
	return kubeconfig
}

// manifestFiles lists the YAML files of a directory, templates included, in name order.
func manifestFiles(dir string) ([]string, error) {
	var files []string
	for _, pattern := range []string{"*.yaml", "*.yaml.tmpl"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("%s holds no .yaml or .yaml.tmpl file", dir)
	}
	return files, nil
}

// createAll creates every object of a multi-document manifest with e2e-framework's decoder and
// returns them; objects that already exist are kept when keepExisting is set (CRDs and a
// GatewayClass in a reused cluster), an error otherwise.
func createAll(
	ctx context.Context,
	r *resources.Resources,
	manifest []byte,
	keepExisting bool,
	opts ...decoder.DecodeOption,
) ([]k8s.Object, error) {
	var created []k8s.Object
	create := decoder.CreateHandler(r)
	if keepExisting {
		create = decoder.CreateIgnoreAlreadyExists(r)
	}
	err := decoder.DecodeEach(ctx, bytes.NewReader(manifest), func(ctx context.Context, obj k8s.Object) error {
		// The client may clear the kind of a typed object it decodes the answer into; the
		// waits after this need it.
		gvk := obj.GetObjectKind().GroupVersionKind()
		if err := create(ctx, obj); err != nil {
			return fmt.Errorf("creating %s: %w", describeObject(obj), err)
		}
		obj.GetObjectKind().SetGroupVersionKind(gvk)
		created = append(created, obj)
		return nil
	}, opts...)
	return created, err
}

func describeObject(obj k8s.Object) string {
	kind := obj.GetObjectKind().GroupVersionKind().Kind
	if ns := obj.GetNamespace(); ns != "" {
		return fmt.Sprintf("%s %s/%s", kind, ns, obj.GetName())
	}
	return fmt.Sprintf("%s %s", kind, obj.GetName())
}

// waitFor polls check within the named wait. check returns whether the condition holds and,
// when not, what it saw instead; "not found" is polled on, any other API error ends the wait.
func waitFor(
	ctx context.Context,
	cfg *config.Config,
	name config.WaitName,
	what string,
	check func(ctx context.Context) (bool, string, error),
) error {
	w, err := cfg.Wait(name)
	if err != nil {
		return err
	}
	return wait.For(ctx, w, what, func(ctx context.Context) (bool, string, error) {
		ok, seen, err := check(ctx)
		if apierrors.IsNotFound(err) {
			return false, "not found", nil
		}
		return ok, seen, err
	})
}

// getUnstructured reads an object of the given kind.
func getUnstructured(
	ctx context.Context,
	r *resources.Resources,
	gvk schema.GroupVersionKind,
	namespace, name string,
) (*unstructured.Unstructured, error) {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(gvk)
	return u, r.Get(ctx, name, namespace, u)
}

// conditionStatus returns the status of the condition of that type in a conditions list, with
// its reason and message, e.g. "Programmed=False (Pending: waiting for the deployment)". A
// condition written for an older generation of the object than generation says nothing about
// the object as it is: its status is "" and the description says so.
func conditionStatus(conditions []any, condType string, generation int64) (status, describe string) {
	for _, c := range conditions {
		m, ok := c.(map[string]any)
		if !ok || m["type"] != condType {
			continue
		}
		status, _ = m["status"].(string)
		describe = fmt.Sprintf("%s=%s (%v: %v)", condType, status, m["reason"], m["message"])
		if og, ok := number(m["observedGeneration"]); ok && og < generation {
			return "", fmt.Sprintf("%s for generation %d, the object is at generation %d (not reconciled yet)", describe, og, generation)
		}
		return status, describe
	}
	return "", condType + " not reported"
}

// number reads an integer field of an unstructured object: int64 from the API, float64 from
// YAML or JSON decoded into a map.
func number(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case float64:
		return int64(n), true
	case int:
		return int64(n), true
	}
	return 0, false
}

// objectReady checks the status a kind of object reports once it works: Programmed for a
// Gateway, Accepted and ResolvedRefs from every parent of a route, Accepted from every
// ancestor of a policy, Available for a Deployment, Established for a CRD, Accepted for a
// GatewayClass. ok is true for kinds without such a status. Conditions and a status written
// for an older generation of the object do not count.
func objectReady(u *unstructured.Unstructured, policyKinds []string) (ok bool, got string) {
	kind := u.GetKind()
	meta, _ := u.Object["metadata"].(map[string]any)
	generation, _ := number(meta["generation"])
	status, _ := u.Object["status"].(map[string]any)
	if og, ok := number(status["observedGeneration"]); ok && og < generation {
		return false, fmt.Sprintf("status of generation %d, the object is at generation %d (not reconciled yet)", og, generation)
	}
	conds := func(m map[string]any) []any { c, _ := m["conditions"].([]any); return c }
	all := func(list []any, types ...string) (bool, string) {
		if len(list) == 0 {
			return false, "no status yet"
		}
		var seen []string
		for _, e := range list {
			m, _ := e.(map[string]any)
			for _, t := range types {
				st, d := conditionStatus(conds(m), t, generation)
				seen = append(seen, d)
				if st != "True" {
					return false, strings.Join(seen, ", ")
				}
			}
		}
		return true, strings.Join(seen, ", ")
	}
	switch {
	case kind == "Gateway":
		return all([]any{status}, "Programmed")
	case kind == "GatewayClass":
		return all([]any{status}, "Accepted")
	case kind == "Deployment":
		return all([]any{status}, "Available")
	case kind == "CustomResourceDefinition":
		return all([]any{status}, "Established")
	case kind == "HTTPRoute" || kind == "GRPCRoute":
		parents, _ := status["parents"].([]any)
		return all(parents, "Accepted", "ResolvedRefs")
	case slices.Contains(policyKinds, kind):
		ancestors, _ := status["ancestors"].([]any)
		return all(ancestors, "Accepted")
	}
	return true, ""
}

// awaitObjects waits until every object reports ready (objectReady), within the named wait.
func awaitObjects(
	ctx context.Context,
	cfg *config.Config,
	r *resources.Resources,
	waitName config.WaitName,
	objs []k8s.Object,
	policyKinds []string,
) error {
	for _, obj := range objs {
		gvk := obj.GetObjectKind().GroupVersionKind()
		if ok, _ := objectReady(&unstructured.Unstructured{Object: map[string]any{"kind": gvk.Kind}}, policyKinds); ok {
			continue // a kind without a status to wait on
		}
		what := describeObject(obj) + " to report " + map[string]string{
			"Gateway": "Programmed", "GatewayClass": "Accepted", "Deployment": "Available", "CustomResourceDefinition": "Established",
			"HTTPRoute": "Accepted and ResolvedRefs", "GRPCRoute": "Accepted and ResolvedRefs",
		}[gvk.Kind]
		if slices.Contains(policyKinds, gvk.Kind) {
			what = describeObject(obj) + " to report Accepted from every ancestor"
		}
		err := waitFor(ctx, cfg, waitName, what, func(ctx context.Context) (bool, string, error) {
			u, err := getUnstructured(ctx, r, gvk, obj.GetNamespace(), obj.GetName())
			if err != nil {
				return false, "", err
			}
			ok, got := objectReady(u, policyKinds)
			return ok, got, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// readFileOr reads a file, naming it in the error.
func readFileOr(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist", path)
	}
	return data, err
}

// AwaitNodesReady waits within the named wait clusterReady until the cluster has a node and
// every node is Ready, so installs do not race a cluster that is still starting. Nothing else
// is waited on: the suite needs no cluster DNS (Envoy gets its endpoints from the control
// plane, and the receiver and echo are addressed by IP), and a DNS Deployment has other names
// elsewhere (kube-dns, OpenShift's DaemonSet) or is absent (kwok).
func AwaitNodesReady(ctx context.Context, s *State) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	return waitFor(ctx, s.Config, clusterconfig.WaitClusterReady, "every node to be Ready", func(ctx context.Context) (bool, string, error) {
		var nodes corev1.NodeList
		if err := c.Resources().List(ctx, &nodes); err != nil {
			return false, "", err
		}
		return nodesReady(nodes.Items)
	})
}

// nodesReady reports whether there is a node and every node is Ready, or what it saw.
func nodesReady(nodes []corev1.Node) (bool, string, error) {
	var notReady []string
	for _, n := range nodes {
		ready := false
		for _, cond := range n.Status.Conditions {
			ready = ready || (cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue)
		}
		if !ready {
			notReady = append(notReady, n.Name)
		}
	}
	if len(nodes) == 0 || len(notReady) > 0 {
		return false, fmt.Sprintf("%d nodes, not Ready: %v", len(nodes), notReady), nil
	}
	return true, "", nil
}

// CreateManifest creates every object of a multi-document manifest, keeping those that exist
// already, and returns them: for a Source that installs an implementation itself.
func (s *State) CreateManifest(ctx context.Context, manifest []byte) ([]k8s.Object, error) {
	c, err := s.Client()
	if err != nil {
		return nil, err
	}
	return createAll(ctx, c.Resources(), manifest, true)
}

// AwaitReady waits within the named wait until every object reports the status its kind has
// once it works (Established for a CRD, Available for a Deployment, ...).
func (s *State) AwaitReady(ctx context.Context, name config.WaitName, objs []k8s.Object) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	return awaitObjects(ctx, s.Config, c.Resources(), name, objs, s.Config.Implementation.Cluster.PolicyKinds)
}

// APIServerHost is the host name or address of the cluster's API server.
func APIServerHost(s *State) (string, error) {
	rc, err := restConfig(s.Kubeconfig, s.Context)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(rc.Host)
	if err != nil {
		return "", fmt.Errorf("the API server address %q: %w", rc.Host, err)
	}
	return u.Hostname(), nil
}
