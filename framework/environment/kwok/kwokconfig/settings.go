package kwokconfig

import (
	"fmt"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
)

// clusterSpec is environments.<name>.cluster of a kwok environment as written; the config
// decodes it strictly against these yaml tags, in this order.
type clusterSpec struct {
	Name   string `yaml:"name"`
	Config string `yaml:"config"`
	Keep   bool   `yaml:"keep"`
	// kind's keys, refused with the reason: the control plane is the pinned build in bin/.
	KubernetesVersion  string            `yaml:"kubernetesVersion"`
	NodeImages         map[string]string `yaml:"nodeImages"`
	RecreateOnMismatch bool              `yaml:"recreateOnMismatch"`
}

// defaults is what environments.<name>.cluster of a kwok environment is decoded over.
func defaults() clusterSpec { return clusterSpec{Name: "tracegate"} }

// Cluster is the kwok cluster of an environment (environments.<name>.cluster), resolved.
type Cluster struct {
	Name   string // the kwokctl cluster name
	Config string // absolute path of the kwokctl configuration template
	// Profile is how the run's implementation runs here (its cluster.kwok), or nil when its
	// profile has none: the run is then refused in preflight.
	Profile *Profile
}

// Settings returns the kwok cluster of cfg's environment, or nil when it is not of type kwok.
// Whether the run keeps the control plane up is cfg.Cluster.Keep.
func Settings(cfg *config.Config) *Cluster {
	k, _ := config.SettingsOf[*Cluster](cfg)
	return k
}

// Summary implements config.ClusterSettings.
func (k *Cluster) Summary(c *config.Config) []string {
	return []string{fmt.Sprintf("kwok cluster: %s, config %s, keep %t", k.Name, k.Config, c.Cluster.Keep)}
}

// check validates environments.<name>.cluster and receiver of a kwok environment: of the kind
// keys only name, config and keep apply (the Kubernetes version is the one the pinned
// control-plane binaries are built at), and the receiver is always in the run's network
// namespace.
func check(c *config.Check, k *clusterSpec) {
	clusterconfig.CreatesKubeconfig(c)
	cl := c.Path.Child("cluster")
	if k == nil {
		c.Field(
			cl,
			"required for type kwok: {name, config}, config being the kwokctl configuration template such as fixtures/kwok/kwokctl.yaml.tmpl",
		)
		return
	}
	for _, key := range []string{"kubernetesVersion", "nodeImages", "recreateOnMismatch"} {
		if c.Set(cl.Child(key)) {
			c.Field(
				cl.Child(key),
				"not allowed for type kwok: the control plane is the pinned build in bin/ (scripts/build-tools.sh); allowed: name, config, keep",
			)
		}
	}
	if ok, why := config.DNSLabel(k.Name, 50); !ok {
		c.Field(cl.Child("name"), "%q is not allowed; use lowercase letters, digits and '-', such as tracegate%s", k.Name, why)
	}
	if !c.Set(cl.Child("config")) {
		c.Field(cl.Child("config"), "required for type kwok: the kwokctl configuration template, such as fixtures/kwok/kwokctl.yaml.tmpl")
	} else {
		c.TemplateFile(cl.Child("config"), k.Config)
	}
	rc, receiver := c.Path.Child("receiver"), c.Cluster.Receiver
	if receiver.Bind != config.ReceiverAuto {
		c.Field(
			rc.Child("bind"),
			"%q is not allowed for type kwok; allowed: %s (the receiver listens in the run's network namespace, where the proxies run)",
			receiver.Bind,
			config.ReceiverAuto,
		)
	}
	c.ReceiverPort()
	if receiver.Advertise != "" {
		c.Field(rc.Child("advertise"), "not allowed for type kwok: the proxies reach the receiver at its address in the run's network namespace")
	}
}

// build resolves the kwok cluster of the run's environment.
func build(b *config.Build, k *clusterSpec, p *ProfileSpec) config.ClusterSettings {
	b.Config.Cluster.Keep = k.Keep
	return &Cluster{
		Name:    k.Name,
		Config:  config.Absolute(b.Config.Dir, k.Config),
		Profile: buildProfile(b.Config.Implementation.Name, b.Config.Implementation.Dir, p),
	}
}
