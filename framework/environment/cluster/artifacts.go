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
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/e2e-framework/klient/k8s/resources"
	"sigs.k8s.io/yaml"

	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
)

// logTail is how many lines of each container's log an artifact keeps.
const logTail = 2000

// CollectArtifacts implements environment.Environment: the state of the cluster at the failure,
// under dir/cluster: the fixtures' objects with their status, events, the logs of the proxy
// and controller pods, the Envoy config dump when the profile has an admin port, and the
// commands that reach it all from a terminal. It collects as much as it can and reports what
// it could not.
func (e *Environment) CollectArtifacts(dir string) error {
	w, err := e.cfg.Wait(clusterconfig.WaitPortForward)
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
		d, err := cs.AppsV1().Deployments(c.Namespace).Get(ctx, c.Deployment, metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			// The controller runs elsewhere (kwok: a local process, whose log the Reach keeps).
			errs = append(errs, write("controller.txt", []byte(fmt.Sprintf("no Deployment %s/%s: the controller does not run in the cluster; "+
				"its log is collected with the environment's own artifacts, if it has any\n", c.Namespace, c.Deployment))))
		case err != nil:
			errs = append(errs, fmt.Errorf("controller Deployment %s/%s: %w", c.Namespace, c.Deployment, err))
		default:
			if sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector); err == nil {
				pods[sel.String()] = c.Namespace
			}
		}
	}
	slices.Sort(namespaces)
	for _, ns := range slices.Compact(namespaces) {
		errs = append(errs, e.dumpEvents(ctx, cs, ns, write))
	}
	for sel, ns := range pods {
		errs = append(errs, dumpLogs(ctx, cs, ns, sel, write))
	}
	if e.reach != nil {
		errs = append(errs, e.reach.CollectArtifacts(ctx, out))
	} else if p.Proxy.AdminPort > 0 {
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

// dumpObjects writes every object the run created, as the cluster has it now (status
// included), to objects.yaml.
func (e *Environment) dumpObjects(ctx context.Context, r *resources.Resources, write func(string, []byte) error) error {
	var b strings.Builder
	if len(e.shared.Objects) == 0 {
		b.WriteString("# the run created no fixture before it stopped\n")
	}
	for _, ref := range e.shared.Objects {
		gv, err := schema.ParseGroupVersion(ref.APIVersion)
		if err != nil {
			fmt.Fprintf(&b, "# %s: %v\n---\n", ref, err)
			continue
		}
		u, err := getUnstructured(ctx, r, gv.WithKind(ref.Kind), ref.Namespace, ref.Name)
		if err != nil {
			fmt.Fprintf(&b, "# %s: %v\n---\n", ref, err)
			continue
		}
		u.SetManagedFields(nil)
		y, _ := yaml.Marshal(u.Object)
		fmt.Fprintf(&b, "# %s\n%s---\n", ref, y)
	}
	return write("objects.yaml", []byte(b.String()))
}

// dumpEvents writes a namespace's events, oldest first; in any namespace but the run's own,
// only those of this run (after Shared.Started).
func (e *Environment) dumpEvents(ctx context.Context, cs *kubernetes.Clientset, ns string, write func(string, []byte) error) error {
	list, err := cs.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("events of %s: %w", ns, err)
	}
	var since time.Time
	if ns != e.shared.Namespace {
		since = e.shared.Started
	}
	return write("events-"+ns+".txt", []byte(formatEvents(list.Items, since)))
}

// formatEvents renders events one a line, oldest first, leaving out those last seen before
// since. An event that carries only eventTime (events.k8s.io) is timed and counted by it and
// its series.
func formatEvents(events []corev1.Event, since time.Time) string {
	type line struct {
		at   time.Time
		text string
	}
	var lines []line
	for _, ev := range events {
		at, count := ev.LastTimestamp.Time, ev.Count
		if at.IsZero() {
			at = ev.EventTime.Time
			if ev.Series != nil {
				at, count = ev.Series.LastObservedTime.Time, ev.Series.Count
			}
		}
		if at.IsZero() {
			at = ev.CreationTimestamp.Time
		}
		if count == 0 {
			count = 1
		}
		if !since.IsZero() && at.Before(since) {
			continue
		}
		lines = append(lines, line{at, fmt.Sprintf("%s %s %s/%s %s: %s (x%d)\n", at.UTC().Format("15:04:05"), ev.Type,
			ev.InvolvedObject.Kind, ev.InvolvedObject.Name, ev.Reason, strings.TrimSpace(ev.Message), count)})
	}
	slices.SortStableFunc(lines, func(a, b line) int { return a.at.Compare(b.at) })
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.text)
	}
	return b.String()
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
	if rsp.StatusCode != http.StatusOK {
		return fmt.Errorf("envoy admin /config_dump on port %d of pod %s answered %s: %.200s", f.port, f.pod, rsp.Status, body)
	}
	return write("envoy-config-dump-"+f.pod+".json", body)
}
