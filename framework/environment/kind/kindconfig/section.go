package kindconfig

import (
	"maps"
	"regexp"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
)

// The kind environment's keys as written. The config decodes them strictly against these yaml
// tags, in this field order, the order of "allowed:" lists in errors.
type (
	// clusterSpec is environments.<name>.cluster.
	clusterSpec struct {
		Name               string            `yaml:"name"`
		KubernetesVersion  string            `yaml:"kubernetesVersion"`
		NodeImages         map[string]string `yaml:"nodeImages"`
		Config             string            `yaml:"config"`
		Keep               bool              `yaml:"keep"`
		RecreateOnMismatch bool              `yaml:"recreateOnMismatch"`
		LocalBuild         *localBuildSpec   `yaml:"localBuild"`
		Here               config.Refused    `yaml:"here"` // renamed localBuild
	}
	// localBuildSpec is environments.<name>.cluster.localBuild: the node image and cluster config of
	// make e2e-kind-here, built on the machine that runs it.
	localBuildSpec struct {
		NodeImage         string `yaml:"nodeImage"`
		KubernetesVersion string `yaml:"kubernetesVersion"`
		Config            string `yaml:"config"`
	}
	// ProfileLocalBuild is implementations.<name>.cluster.localBuild: the images and charts of
	// make e2e-kind-here, built on the machine that runs it.
	ProfileLocalBuild struct {
		// Images are the images built here and loaded into the cluster (kind load).
		Images []string `yaml:"images" json:"images,omitempty"`
		// Charts replace the profile's Helm releases' charts and values, by release name.
		Charts map[string]LocalBuildChart `yaml:"charts" json:"charts,omitempty"`
		// Overlay is a template that changes the cluster fixtures to run the images built here.
		Overlay string `yaml:"overlay" json:"overlay,omitempty"`
		// Install is a directory of cluster-scoped manifests applied instead of the profile's
		// cluster.install (for example a GatewayClass that names parameters only this install has).
		Install string `yaml:"install" json:"install,omitempty"`
		// GatewayAPI is a directory of Gateway API CRDs installed instead of the profile's
		// cluster.gatewayAPI (for example the release the implementation's own install ships).
		GatewayAPI string `yaml:"gatewayAPI" json:"gatewayAPI,omitempty"`
	}
	// LocalBuildChart is implementations.<name>.cluster.localBuild.charts.<release>.
	LocalBuildChart struct {
		// Chart is the chart directory make e2e-kind-here stages.
		Chart string `yaml:"chart" json:"chart"`
		// Values is a values file, instead of the release's.
		Values string `yaml:"values" json:"values,omitempty"`
	}
)

// A kind node image pinned by digest, e.g. kindest/node:v1.34.3@sha256:<64 hex>.
var nodeImage = regexp.MustCompile(`^[a-z0-9./_-]+:v([0-9]+\.[0-9]+)\.[0-9]+@sha256:[0-9a-f]{64}$`)

// check validates a kind environment: its cluster section and receiver.
func check(c *config.Check, k *clusterSpec) {
	c.Receiver()
	clusterconfig.CreatesKubeconfig(c)
	base := c.Path.Child("cluster")
	if k == nil {
		c.Field(base, "required for type kind: {name, kubernetesVersion, nodeImages, config}")
		return
	}
	if ok, why := config.DNSLabel(k.Name, 50); !ok {
		c.Field(base.Child("name"), "%q is not allowed; use lowercase letters, digits and '-', such as tracegate%s", k.Name, why)
	}
	for _, v := range slices.Sorted(maps.Keys(k.NodeImages)) {
		path := config.Key(base.Child("nodeImages"), v)
		m := nodeImage.FindStringSubmatch(k.NodeImages[v])
		switch {
		case !config.IsMinorVersion(v):
			c.Field(path, "%q is not a Kubernetes version; use major.minor such as \"1.34\"", v)
		case m == nil:
			c.Field(
				path,
				"%q is not a node image pinned by digest; use kindest/node:v<version>@sha256:<digest>, as listed in kind's release notes",
				k.NodeImages[v],
			)
		case m[1] != v:
			c.Field(path, "image %q is Kubernetes %s, not %s", k.NodeImages[v], m[1], v)
		}
	}
	switch _, ok := k.NodeImages[k.KubernetesVersion]; {
	case k.KubernetesVersion == "":
		c.Field(base.Child("kubernetesVersion"), "required; allowed: %s", config.List(slices.Sorted(maps.Keys(k.NodeImages))))
	case !ok:
		c.Field(
			base.Child("kubernetesVersion"),
			"%q has no node image; allowed: %s (add it to nodeImages)",
			k.KubernetesVersion,
			config.List(slices.Sorted(maps.Keys(k.NodeImages))),
		)
	}
	c.TemplateFile(base.Child("config"), k.Config)
	if c.Set(base.Child("here")) {
		c.Field(base.Child("here"), "renamed: use localBuild (the node image and cluster config built on this machine)")
	}
	checkLocalBuild(c, base.Child("localBuild"), k.LocalBuild)
}

// checkLocalBuild validates environments.<name>.cluster.localBuild.
func checkLocalBuild(c *config.Check, base *field.Path, h *localBuildSpec) {
	if h == nil {
		return
	}
	if h.NodeImage == "" {
		c.Field(base.Child("nodeImage"), "required: the node image make e2e-kind-here builds, such as tracegate.local/kind-node:v1.36.3")
	}
	if !config.IsMinorVersion(h.KubernetesVersion) {
		c.Field(base.Child("kubernetesVersion"), "%q is not a Kubernetes version; use major.minor such as \"1.36\"", h.KubernetesVersion)
	}
	c.TemplateFile(base.Child("config"), h.Config)
}

// checkProfileLocalBuild validates implementations.<name>.cluster.localBuild.
func checkProfileLocalBuild(c *config.Check, p *ProfileLocalBuild) {
	base := c.Path.Child("localBuild")
	for _, name := range slices.Sorted(maps.Keys(p.Charts)) {
		ch := p.Charts[name]
		path := config.Key(base.Child("charts"), name)
		if !slices.Contains(c.Releases, name) {
			c.Field(path, "no helm release %q in this profile; allowed: %s", name, config.List(c.Releases))
		}
		if ch.Chart == "" {
			c.Field(path.Child("chart"), "required: the chart directory make e2e-kind-here stages")
		}
		c.File(path.Child("values"), ch.Values)
	}
	if p.Overlay != "" {
		c.TemplateFile(base.Child("overlay"), p.Overlay)
	}
	for i, img := range p.Images {
		if img == "" {
			c.Field(base.Child("images").Index(i), "must not be empty")
		}
	}
}
