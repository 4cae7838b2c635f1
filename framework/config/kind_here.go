package config

import (
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
)

// EchoImage is the suite's echo upstream (cmd/echo) as the image the kind environment builds
// and loads into its nodes: the same upstream as on every other environment, with no registry.
const EchoImage = "tracegate.local/echo:dev"

// applyKindHere makes the kind cluster of c the one make e2e-kind-here builds on this machine
// (E2E_KIND_HERE=1): the environment's cluster.here node image, version and config, and the
// implementation's cluster.here charts and images.
func (r *resolver) applyKindHere(c *Config, k *KindCluster, here *spec.KindHere, profile *spec.ClusterProfile, versionSet bool) {
	env, impl := c.Environment.Name, c.Implementation.Name
	if here == nil {
		r.Plain("E2E_KIND_HERE: environment %q has no cluster.here section in %s (the node image and cluster config built on this machine)", env, r.abs)
		return
	}
	if profile == nil || profile.Here == nil {
		r.Plain("E2E_KIND_HERE: implementation %q has no cluster.here section in %s (its images and charts built on this machine); make e2e-kind-here runs an implementation that has one", impl, r.abs)
		return
	}
	if versionSet && k.KubernetesVersion != here.KubernetesVersion {
		r.Plain("E2E_KUBERNETES_VERSION: %s, but the node image built here (environments.%s.cluster.here) is Kubernetes %s; unset it for E2E_KIND_HERE", k.KubernetesVersion, env, here.KubernetesVersion)
	}
	k.NodeImage, k.KubernetesVersion, k.Config = here.NodeImage, here.KubernetesVersion, absolute(c.Dir, here.Config)
	k.LoadImages = append(k.LoadImages, profile.Here.Images...)
	if profile.Here.Overlay != "" {
		k.Overlay = absolute(c.Implementation.Dir, profile.Here.Overlay)
	}
	cp := c.Implementation.Cluster
	for i := range cp.Helm {
		h := &cp.Helm[i]
		chart, ok := profile.Here.Charts[h.Release]
		if !ok {
			continue
		}
		h.Chart = absolute(c.Implementation.Dir, chart.Chart) // staged by make kind-here-images; checked before the run
		if chart.Values != "" {
			h.Args = append(h.Args, "--values", absolute(c.Implementation.Dir, chart.Values))
		}
	}
}

// checkKindHere validates environments.<name>.cluster.here.
func (r *resolver) checkKindHere(base *field.Path, h *spec.KindHere) {
	if h == nil {
		return
	}
	if h.NodeImage == "" {
		r.Field(base.Child("nodeImage"), "required: the node image make e2e-kind-here builds, such as tracegate.local/kind-node:v1.36.3")
	}
	if !minorVersion.MatchString(h.KubernetesVersion) {
		r.Field(base.Child("kubernetesVersion"), "%q is not a Kubernetes version; use major.minor such as \"1.36\"", h.KubernetesVersion)
	}
	r.checkTemplateFile(base.Child("config"), h.Config)
}

// checkProfileHere validates implementations.<name>.cluster.here.
func (r *resolver) checkProfileHere(base *field.Path, p *spec.ClusterProfile) {
	if p.Here == nil {
		return
	}
	base = base.Child("here")
	var releases []string
	for _, h := range p.Helm {
		releases = append(releases, h.Release)
	}
	for _, name := range slices.Sorted(maps.Keys(p.Here.Charts)) {
		ch := p.Here.Charts[name]
		path := spec.Child(base.Child("charts"), name)
		if !slices.Contains(releases, name) {
			r.Field(path, "no helm release %q in this profile; allowed: %s", name, list(releases))
		}
		if ch.Chart == "" {
			r.Field(path.Child("chart"), "required: the chart directory make e2e-kind-here stages")
		}
		r.checkFile(path.Child("values"), ch.Values)
	}
	if p.Here.Overlay != "" {
		r.checkTemplateFile(base.Child("overlay"), p.Here.Overlay)
	}
	for i, img := range p.Here.Images {
		if img == "" {
			r.Field(base.Child("images").Index(i), "must not be empty")
		}
	}
}
