package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/e2e-framework/klient/decoder"
	"sigs.k8s.io/e2e-framework/klient/k8s/resources"
	"sigs.k8s.io/yaml"

	"github.com/tracegate/tracegate/framework/config"
)

// logTail is how many lines of each container's log an artifact keeps.
const logTail = 2000

// CollectArtifacts implements environment.Environment: the state of the cluster at the failure,
// under dir/cluster: the fixtures' objects with their status, events, the logs of the proxy
// and controller pods, the Envoy config dump when the profile has an admin port, and the
// commands that reach it all from a terminal. It collects as much as it can and reports what
// it could not.
func (e *Environment) CollectArtifacts(dir string) error {
	w, err := e.cfg.Wait(config.WaitPortForward)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.Timeout)
	defer cancel()
	out := filepath.Join(dir, "cluster")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	r, err := resources.New(e.rest)
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(e.rest)
	if err != nil {
		return err
	}
	write := func(name string, data []byte) error { return os.WriteFile(filepath.Join(out, name), data, 0o644) }
	var errs []error
	errs = append(errs, write("commands.txt", []byte(e.commands())))
	errs = append(errs, e.dumpObjects(ctx, r, write))

	p := e.cfg.Implementation.Cluster
	namespaces := []string{e.shared.Namespace}
	pods := map[string]string{} // pod label selector -> namespace
	for _, gw := range append([]string{""}, slices.Sorted(maps.Keys(p.Variants))...) {
		ns, sel, err := proxyTarget(e.cfg, e.shared.Namespace, e.gatewayName(gw))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pods[sel] = ns
		namespaces = append(namespaces, ns)
	}
	if c := p.Controller; c.Deployment != "" {
		namespaces = append(namespaces, c.Namespace)
		if d, err := cs.AppsV1().Deployments(c.Namespace).Get(ctx, c.Deployment, metav1.GetOptions{}); err != nil {
			errs = append(errs, err)
		} else if sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector); err == nil {
			pods[sel.String()] = c.Namespace
		}
	}
	slices.Sort(namespaces)
	for _, ns := range slices.Compact(namespaces) {
		errs = append(errs, e.dumpEvents(ctx, cs, ns, write))
	}
	for sel, ns := range pods {
		errs = append(errs, dumpLogs(ctx, cs, ns, sel, write))
	}
	if p.Proxy.AdminPort > 0 {
		errs = append(errs, e.dumpEnvoyConfig(ctx, write))
	}
	return errors.Join(errs...)
}

// commands are the kubectl and port-forward commands of Endpoints, one per line.
func (e *Environment) commands() string {
	var b strings.Builder
	ep := e.Endpoints()
	for _, k := range slices.Sorted(maps.Keys(ep)) {
		fmt.Fprintf(&b, "%s: %s\n", k, ep[k])
	}
	return b.String()
}

// dumpObjects writes every object of the fixtures, as the cluster has it now (status
// included), to objects.yaml.
func (e *Environment) dumpObjects(ctx context.Context, r *resources.Resources, write func(string, []byte) error) error {
	var b strings.Builder
	err := renderFixtures(e.cfg, NewFixtureData(e.cfg, e.shared.Namespace, ""), func(f string, text []byte) error {
		objs, err := decoder.DecodeAll(ctx, strings.NewReader(string(text)), decoder.MutateNamespace(e.shared.Namespace))
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, o := range objs {
			u, err := getUnstructured(ctx, r, o.GetObjectKind().GroupVersionKind(), e.shared.Namespace, o.GetName())
			if err != nil {
				fmt.Fprintf(&b, "# %s: %v\n---\n", describeObject(o), err)
				continue
			}
			u.SetManagedFields(nil)
			y, _ := yaml.Marshal(u.Object)
			fmt.Fprintf(&b, "# %s\n%s---\n", describeObject(o), y)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return write("objects.yaml", []byte(b.String()))
}

func (e *Environment) dumpEvents(ctx context.Context, cs *kubernetes.Clientset, ns string, write func(string, []byte) error) error {
	list, err := cs.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("events of %s: %w", ns, err)
	}
	var b strings.Builder
	for _, ev := range list.Items {
		fmt.Fprintf(&b, "%s %s %s/%s %s: %s (x%d)\n", ev.LastTimestamp.UTC().Format("15:04:05"), ev.Type,
			ev.InvolvedObject.Kind, ev.InvolvedObject.Name, ev.Reason, strings.TrimSpace(ev.Message), ev.Count)
	}
	return write("events-"+ns+".txt", []byte(b.String()))
}

func dumpLogs(ctx context.Context, cs *kubernetes.Clientset, ns, selector string, write func(string, []byte) error) error {
	pods, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return fmt.Errorf("pods %q in %s: %w", selector, ns, err)
	}
	var errs []error
	tail := int64(logTail)
	for _, p := range pods.Items {
		for _, c := range p.Spec.Containers {
			raw, err := cs.CoreV1().Pods(ns).GetLogs(p.Name, &corev1.PodLogOptions{Container: c.Name, TailLines: &tail}).Do(ctx).Raw()
			if err != nil {
				errs = append(errs, fmt.Errorf("log of %s/%s %s: %w", ns, p.Name, c.Name, err))
				continue
			}
			errs = append(errs, write(fmt.Sprintf("log-%s-%s-%s.txt", ns, p.Name, c.Name), raw))
		}
	}
	return errors.Join(errs...)
}

// dumpEnvoyConfig port-forwards to the admin port of the main Gateway's proxy and saves
// /config_dump: the routes, clusters and tracing config Envoy actually runs with.
func (e *Environment) dumpEnvoyConfig(ctx context.Context, write func(string, []byte) error) error {
	ns, sel, err := proxyTarget(e.cfg, e.shared.Namespace, e.gatewayName(""))
	if err != nil {
		return err
	}
	f, err := startForward(ctx, e.cfg, e.rest, ns, sel, e.cfg.Implementation.Cluster.Proxy.AdminPort)
	if err != nil {
		return fmt.Errorf("envoy admin: %w", err)
	}
	defer f.close()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url()+"/config_dump", nil)
	if err != nil {
		return err
	}
	rsp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("envoy admin /config_dump: %w", err)
	}
	defer rsp.Body.Close()
	body, err := io.ReadAll(rsp.Body)
	if err != nil {
		return err
	}
	return write("envoy-config-dump-"+f.pod+".json", body)
}
