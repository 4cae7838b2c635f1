package kindconfig

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
)

// build resolves the kind cluster of the run's environment: E2E_KUBERNETES_VERSION, the node
// image, E2E_KIND_HERE with the localBuild sections, and the implementation's support window.
func build(b *config.Build, k *clusterSpec, local *ProfileLocalBuild) config.ClusterSettings {
	c := b.Config
	cl := &Cluster{
		Name: k.Name, KubernetesVersion: k.KubernetesVersion, Config: config.Absolute(c.Dir, k.Config),
		NodeImages: maps.Clone(k.NodeImages), RecreateOnMismatch: k.RecreateOnMismatch,
	}
	c.Cluster.Keep = k.Keep
	versionSet := false
	if v, ok := b.Lookup("E2E_KUBERNETES_VERSION"); ok {
		if _, known := k.NodeImages[v]; !known {
			b.Plain("E2E_KUBERNETES_VERSION: %q has no node image in environments.%s.cluster.nodeImages of %s; allowed: %s",
				v, c.Environment.Name, b.File(), config.List(slices.Sorted(maps.Keys(k.NodeImages))))
		} else {
			cl.KubernetesVersion, versionSet = v, true
			b.Override("E2E_KUBERNETES_VERSION=" + v)
		}
	}
	cl.NodeImage = k.NodeImages[cl.KubernetesVersion]
	cl.LoadImages = []string{EchoImage}
	b.Bool("E2E_KIND_HERE", func(on bool) { cl.LocalBuild = on })
	if cl.LocalBuild {
		applyLocalBuild(b, cl, k.LocalBuild, local, versionSet)
	}
	if cl.NodeImage != "" && c.Implementation.Cluster != nil {
		checkInWindow(b, cl, versionSet)
	}
	return cl
}

// applyLocalBuild makes the kind cluster the one make e2e-kind-here builds on this machine
// (E2E_KIND_HERE=1): the environment's cluster.localBuild node image, version and config, and the
// implementation's cluster.localBuild charts and images.
func applyLocalBuild(b *config.Build, k *Cluster, built *localBuildSpec, profile *ProfileLocalBuild, versionSet bool) {
	c := b.Config
	env, impl := c.Environment.Name, c.Implementation.Name
	if built == nil {
		b.Plain(
			"E2E_KIND_HERE: environment %q has no cluster.localBuild section in %s (the node image and cluster config built on this machine)",
			env,
			b.File(),
		)
		return
	}
	if profile == nil {
		b.Plain("E2E_KIND_HERE: implementation %q has no cluster.localBuild section in %s (its images and charts built on this machine); "+
			"make e2e-kind-here runs an implementation that has one", impl, b.File())
		return
	}
	if versionSet && k.KubernetesVersion != built.KubernetesVersion {
		b.Plain("E2E_KUBERNETES_VERSION: %s, but the node image built here (environments.%s.cluster.localBuild) is Kubernetes %s; "+
			"unset it for E2E_KIND_HERE", k.KubernetesVersion, env, built.KubernetesVersion)
	}
	k.NodeImage, k.KubernetesVersion, k.Config = built.NodeImage, built.KubernetesVersion, config.Absolute(c.Dir, built.Config)
	k.LoadImages = append(k.LoadImages, profile.Images...)
	if profile.Overlay != "" {
		k.Overlay = config.Absolute(c.Implementation.Dir, profile.Overlay)
	}
	cp := c.Implementation.Cluster
	if profile.Install != "" {
		cp.Install = config.Absolute(c.Implementation.Dir, profile.Install)
	}
	if profile.GatewayAPI != "" {
		cp.GatewayAPI = config.Absolute(c.Implementation.Dir, profile.GatewayAPI) // staged by make e2e-kind-here-<impl>
	}
	for i := range cp.Helm {
		h := &cp.Helm[i]
		chart, ok := profile.Charts[h.Release]
		if !ok {
			continue
		}
		h.Chart = config.Absolute(c.Implementation.Dir, chart.Chart) // staged by make kind-here-images; checked before the run
		if chart.Values != "" {
			h.Args = append(h.Args, "--values", config.Absolute(c.Implementation.Dir, chart.Values))
		}
	}
}

// checkInWindow refuses a kind cluster whose Kubernetes version is outside the support window
// of the implementation, before anything starts: the error names the window, its source, and
// the versions of the window that have a node image. versionSet says the version came from
// E2E_KUBERNETES_VERSION.
func checkInWindow(b *config.Build, k *Cluster, versionSet bool) {
	c := b.Config
	impl, w := c.Implementation, c.Implementation.Cluster.Kubernetes
	if w.Supports(k.KubernetesVersion) {
		return
	}
	outside := false
	b.Bool("E2E_OUTSIDE_WINDOW", func(on bool) { outside = on })
	if outside { // asked for by name, and listed with the run's overrides
		return
	}
	var usable []string
	for _, v := range w.Versions {
		if _, ok := k.NodeImages[v]; ok {
			usable = append(usable, v)
		}
	}
	slices.Sort(usable)
	fix := fmt.Sprintf("pick one of the window that has a node image: %s (E2E_KUBERNETES_VERSION, "+
		"or environments.%s.cluster.kubernetesVersion)",
		config.List(usable), c.Environment.Name)
	if len(usable) == 0 {
		fix = fmt.Sprintf("no version of the window has a node image in environments.%s.cluster.nodeImages: pin one from the release notes "+
			"of the kind in tools/kind", c.Environment.Name)
	}
	msg := fmt.Sprintf("Kubernetes %s is outside the support window of implementation %s: %s, "+
		"as implementations.%s.cluster.kubernetesVersions in %s says; %s; "+
		"or set E2E_OUTSIDE_WINDOW=1 to run it anyway (the run lists it with its overrides)",
		k.KubernetesVersion, strings.TrimSpace(impl.Name+" "+impl.Version), w, impl.Name, b.File(), fix)
	switch {
	case versionSet:
		b.Plain("E2E_KUBERNETES_VERSION: %s", msg)
	case b.Overridden("E2E_IMPLEMENTATION=" + impl.Name):
		b.Plain("E2E_IMPLEMENTATION: %s", msg)
	default:
		b.Field(b.Path.Child("cluster", "kubernetesVersion"), "%s", msg)
	}
}
