package kindconfig

import (
	"fmt"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
)

// Cluster is the kind cluster of an environment (environments.<name>.cluster), resolved.
type Cluster struct {
	Name              string // the kind cluster name
	KubernetesVersion string // major.minor, e.g. "1.36"; E2E_KUBERNETES_VERSION overrides
	NodeImage         string // NodeImages[KubernetesVersion], pinned by digest
	// NodeImages are every node image pinned for the kind release, by major.minor.
	NodeImages map[string]string
	Config     string // absolute path of the kind config template
	// RecreateOnMismatch deletes and recreates a reused cluster whose Kubernetes version is not
	// KubernetesVersion; without it such a cluster is an error.
	RecreateOnMismatch bool
	// Here is set by E2E_KIND_HERE=1 (make e2e-kind-here): NodeImage, KubernetesVersion and
	// Config are the environment's cluster.localBuild ones, built on this machine, and the
	// implementation's charts and images are its cluster.localBuild ones.
	LocalBuild bool
	// Overlay is the implementation's cluster.localBuild overlay of its fixtures (absolute), or "".
	Overlay string
	// LoadImages are loaded into the nodes with kind load docker-image before anything is
	// installed: the echo upstream's image, and the implementation's locally built images.
	LoadImages []string
}

// Settings returns the kind cluster of cfg's environment, or nil when it is not of type kind.
// Whether the run keeps the cluster is cfg.Cluster.Keep.
func Settings(cfg *config.Config) *Cluster {
	k, _ := config.SettingsOf[*Cluster](cfg)
	return k
}

// EchoImage implements clusterconfig.EchoLoader: the run builds the echo upstream's image and
// loads it into the nodes.
func (k *Cluster) EchoImage() string { return EchoImage }

// Summary implements config.ClusterSettings.
func (k *Cluster) Summary(c *config.Config) []string {
	lines := []string{fmt.Sprintf("kind cluster: %s, Kubernetes %s (%s), config %s, keep %t, recreateOnMismatch %t",
		k.Name, k.KubernetesVersion, k.NodeImage, k.Config, c.Cluster.Keep, k.RecreateOnMismatch)}
	if k.LocalBuild {
		lines = append(lines, "kind here (E2E_KIND_HERE): node image, charts and images built on this machine")
	}
	return append(lines, "images loaded into the nodes: "+strings.Join(k.LoadImages, ", "))
}
