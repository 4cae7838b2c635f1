package kind

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"

	"k8s.io/client-go/discovery"
	"sigs.k8s.io/e2e-framework/klient/conf"
	"sigs.k8s.io/e2e-framework/pkg/types"
	"sigs.k8s.io/e2e-framework/support/kind"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
)

// createOrReuse creates the cluster with e2e-framework's kind provider, or reuses one of that
// name (Decide): one tracegate created and a run kept, as it is; one tracegate did not create
// once its Kubernetes version is checked (e2e-framework reuses any cluster of the name without
// looking at its image), and never deleted unless recreateOnMismatch says so. One tracegate
// created that no run kept (a killed run's) or from another node image is made again.
func createOrReuse(ctx context.Context, s *cluster.State) error {
	k := kindconfig.Settings(s.Config)
	s.Endpoints = map[string]string{"kind": "kind export kubeconfig --name " + k.Name}
	found, _, err := inspect(ctx, k.Name, k.NodeImage)
	if err != nil {
		return err
	}
	provider := kind.NewProvider().SetDefaults().WithName(k.Name).WithPath(cluster.Bin(s.Config, "kind")).WithOpts(kind.WithImage(k.NodeImage))
	action, why := Decide(found)
	switch action {
	case ReuseKept:
		kubeconfig, err := provider.Create(ctx) // writes the kubeconfig of the existing cluster
		if err != nil {
			return err
		}
		tell(s, "tracegate: reusing kind cluster %s: %s; it stays after the run (make kind-down deletes it)\n", k.Name, why)
		s.Kubeconfig = kubeconfig
		return nil
	case Recreate:
		tell(s, "tracegate: deleting kind cluster %s: %s\n", k.Name, why)
		if err := destroy(ctx, provider, k.Name); err != nil {
			return err
		}
	case ReuseForeign:
		if reused, err := reuseForeign(ctx, s, provider, why); reused || err != nil {
			return err
		}
	}
	return create(ctx, s, provider)
}

// reuseForeign reuses a cluster tracegate did not create when it runs the environment's
// Kubernetes version; otherwise it fails, or, with recreateOnMismatch, deletes it and reports
// false so that the run creates its own.
func reuseForeign(ctx context.Context, s *cluster.State, provider types.E2EClusterProvider, why string) (bool, error) {
	k := kindconfig.Settings(s.Config)
	kubeconfig, err := provider.Create(ctx) // writes the kubeconfig of the existing cluster
	if err != nil {
		return false, err
	}
	got, err := serverVersion(kubeconfig)
	if err != nil {
		return false, err
	}
	if sameMinor(got, k.KubernetesVersion) {
		tell(s, "tracegate: reusing kind cluster %s (Kubernetes %s): %s\n", k.Name, got, why)
		s.Kubeconfig = kubeconfig
		return true, nil
	}
	if !k.RecreateOnMismatch {
		return false, fmt.Errorf("kind cluster %s runs Kubernetes %s, the environment wants %s, and tracegate did not create it, "+
			"so it does not delete it: delete it yourself (kind delete cluster --name %s, or make kind-down), "+
			"set environments.%s.cluster.recreateOnMismatch, or pick its version with E2E_KUBERNETES_VERSION",
			k.Name, got, k.KubernetesVersion, k.Name, s.Config.Environment.Name)
	}
	tell(s, "tracegate: kind cluster %s runs Kubernetes %s, not %s: recreating it (recreateOnMismatch)\n", k.Name, got, k.KubernetesVersion)
	return false, destroy(ctx, provider, k.Name)
}

// create creates the cluster from the environment's kind config and marks it as tracegate's.
func create(ctx context.Context, s *cluster.State, provider types.E2EClusterProvider) error {
	k := kindconfig.Settings(s.Config)
	cfgText, err := RenderConfig(k)
	if err != nil {
		return err
	}
	file, err := os.CreateTemp("", "tracegate-kind-*.yaml")
	if err != nil {
		return err
	}
	defer os.Remove(file.Name())
	if _, err := file.Write(cfgText); err != nil {
		return err
	}
	_ = file.Close()
	s.Created = true // whatever kind got to before an error is deleted at the end
	kubeconfig, err := provider.CreateWithConfig(ctx, file.Name())
	if err != nil {
		return err
	}
	s.Kubeconfig = kubeconfig
	return markCreated(ctx, k.Name, k.NodeImage)
}

// destroy deletes the cluster and its marker.
func destroy(ctx context.Context, provider types.E2EClusterProvider, name string) error {
	if err := provider.Destroy(ctx); err != nil {
		return err
	}
	return removeMarker(name)
}

func clusterExists(ctx context.Context, bin, name string) (bool, error) {
	out, err := exec.CommandContext(ctx, bin, "get", "clusters").Output()
	if err != nil {
		return false, fmt.Errorf("%s get clusters: %w", bin, err)
	}
	return slices.Contains(strings.Fields(string(out)), name), nil
}

func serverVersion(kubeconfig string) (string, error) {
	rc, err := conf.New(kubeconfig)
	if err != nil {
		return "", err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(rc)
	if err != nil {
		return "", err
	}
	v, err := dc.ServerVersion()
	if err != nil {
		return "", fmt.Errorf("reading the Kubernetes version of the cluster: %w", err)
	}
	return v.GitVersion, nil
}

// sameMinor reports whether a server version such as v1.34.3 is of a major.minor such as 1.34.
func sameMinor(gitVersion, minor string) bool {
	return strings.HasPrefix(strings.TrimPrefix(gitVersion, "v"), minor+".")
}

// deleteCluster deletes the cluster the run created, unless the run keeps it: then its marker
// says kept, and the next run reuses it.
func deleteCluster(ctx context.Context, s *cluster.State) error {
	k := kindconfig.Settings(s.Config)
	switch {
	case !s.Created:
		return nil
	case s.Config.Cluster.Keep || s.Config.Debug.Enabled:
		tell(
			s,
			"tracegate: keeping kind cluster %s for the next run to reuse; delete it with make kind-down (kind delete cluster --name %s)\n",
			k.Name,
			k.Name,
		)
		return markKept(ctx, k.Name)
	}
	found, _, err := inspect(ctx, k.Name, "")
	if err != nil {
		return err
	}
	if found.Exists && !found.Ours {
		// kind failed before it made a node, and someone else made a cluster of the name since.
		tell(s, "tracegate: kind cluster %s is not the one this run created: left alone\n", k.Name)
		return nil
	}
	return destroy(ctx, kind.NewProvider().SetDefaults().WithName(k.Name).WithPath(cluster.Bin(s.Config, "kind")), k.Name)
}

// Delete deletes the environment's kind cluster, whoever created it: make kind-down and make
// kind-here-down, which a person runs by name.
func Delete(ctx context.Context, cfg *config.Config) error {
	s := &cluster.State{Config: cfg, Log: io.Discard}
	if err := buildTools(ctx, s); err != nil {
		return err
	}
	k := kindconfig.Settings(cfg)
	exists, err := clusterExists(ctx, cluster.Bin(cfg, "kind"), k.Name)
	if err != nil || !exists {
		return err
	}
	return destroy(ctx, kind.NewProvider().SetDefaults().WithName(k.Name).WithPath(cluster.Bin(cfg, "kind")), k.Name)
}

// Keep marks the environment's kind cluster as kept, if tracegate created it (make kind-up):
// runs reuse it and leave it until make kind-down.
func Keep(ctx context.Context, cfg *config.Config) error {
	return markKept(ctx, kindconfig.Settings(cfg).Name)
}

// tell writes what the run decided of a cluster to its log and, as it happens, to the terminal:
// whether a cluster is reused, deleted or kept is what a person needs to know.
func tell(s *cluster.State, format string, args ...any) {
	fmt.Fprintf(s.Log, format, args...)
	if s.Progress != nil {
		fmt.Fprintf(s.Progress, format, args...)
	}
}
