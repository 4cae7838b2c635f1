package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"
	"sigs.k8s.io/e2e-framework/klient/k8s/resources"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
)

// forward is a port-forward from 127.0.0.1 to a port of a pod, as kubectl port-forward does.
type forward struct {
	namespace, pod string
	port           int
	local          uint16
	stop           chan struct{}
	done           chan error
	once           sync.Once
}

func (f *forward) url() string { return fmt.Sprintf("http://127.0.0.1:%d", f.local) }

func (f *forward) close() error {
	f.once.Do(func() { close(f.stop) })
	return nil
}

// startForward finds a ready pod matching selector in namespace and forwards a free local port
// to its port, retrying within the named wait portForward while no pod is ready yet.
func startForward(ctx context.Context, cfg *config.Config, rc *rest.Config, namespace, selector string, port int) (*forward, error) {
	r, err := resources.New(rc)
	if err != nil {
		return nil, err
	}
	var f *forward
	err = waitFor(
		ctx,
		cfg,
		clusterconfig.WaitPortForward,
		fmt.Sprintf("a ready pod matching %q in namespace %s to port-forward port %d", selector, namespace, port),
		func(ctx context.Context) (bool, string, error) {
			pod, got, err := readyPod(ctx, r, namespace, selector)
			if err != nil || pod == "" {
				return false, got, err
			}
			if f, err = dialForward(ctx, rc, namespace, pod, port); err != nil {
				if why := unreachableNode(err); why != "" {
					return false, "", fmt.Errorf("port-forwarding to pod %s/%s: %v: %s", namespace, pod, err, why)
				}
				return false, fmt.Sprintf("pod %s is ready, the port-forward failed: %v", pod, err), nil
			}
			return true, "", nil
		},
	)
	return f, err
}

// readyPod returns the name of a running, ready pod matching selector, or "" and what it saw.
func readyPod(ctx context.Context, r *resources.Resources, namespace, selector string) (string, string, error) {
	var pods corev1.PodList
	if err := r.WithNamespace(namespace).List(ctx, &pods, resources.WithLabelSelector(selector)); err != nil {
		return "", "", err
	}
	var seen []string
	for _, p := range pods.Items {
		ready := false
		for _, c := range p.Status.Conditions {
			ready = ready || (c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue)
		}
		if p.Status.Phase == corev1.PodRunning && ready && p.DeletionTimestamp == nil {
			return p.Name, "", nil
		}
		seen = append(seen, fmt.Sprintf("%s %s ready=%t", p.Name, p.Status.Phase, ready))
	}
	if len(seen) == 0 {
		return "", "no pod matches", nil
	}
	return "", strings.Join(seen, ", "), nil
}

// dialForward forwards 127.0.0.1:<free port> to the pod's port and waits until it listens.
func dialForward(ctx context.Context, rc *rest.Config, namespace, pod string, port int) (*forward, error) {
	transport, upgrader, err := spdy.RoundTripperFor(rc)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(rc.Host)
	if err != nil {
		return nil, err
	}
	u.Path = path.Join(u.Path, "api/v1/namespaces", namespace, "pods", pod, "portforward")
	dialer := spdy.NewDialer(upgrader, &http.Client{Transport: transport}, http.MethodPost, u)
	f := &forward{namespace: namespace, pod: pod, port: port, stop: make(chan struct{}), done: make(chan error, 1)}
	ready := make(chan struct{})
	var errOut bytes.Buffer
	pf, err := portforward.NewOnAddresses(
		dialer,
		[]string{"127.0.0.1"},
		[]string{fmt.Sprintf("0:%d", port)},
		f.stop,
		ready,
		io.Discard,
		&errOut,
	)
	if err != nil {
		return nil, err
	}
	go func() { f.done <- pf.ForwardPorts() }()
	select {
	case <-ready:
	case err := <-f.done:
		return nil, fmt.Errorf("%v %s", err, strings.TrimSpace(errOut.String()))
	case <-ctx.Done():
		_ = f.close()
		return nil, ctx.Err()
	}
	ports, err := pf.GetPorts()
	if err != nil || len(ports) == 0 {
		_ = f.close()
		return nil, errors.Join(errors.New("the port-forward has no local port"), err)
	}
	f.local = ports[0].Local
	return f, nil
}

// unreachableNode explains a port-forward error that retrying cannot fix, or returns "": the
// API server forwards through the kubelet of the pod's node, and resolve_deny means it cannot
// reach that kubelet at all (its egress refuses the node's address, or the node has no real
// kubelet, as a kwok node).
func unreachableNode(err error) string {
	if strings.Contains(err.Error(), "resolve_deny") {
		return "the API server cannot reach the kubelet of the pod's node (resolve_deny), and a port-forward goes through it; " +
			"check that the node's address is reachable from the API server " +
			"(a kwok node has no kubelet: ENV=kwok reaches its proxies without a port-forward)"
	}
	return ""
}
