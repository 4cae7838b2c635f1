// Package existingconfig is the config side of the existing environment: it registers the type's name,
// waits and ginkgo.yaml section with the config, apart from package existing and its client-go.
package existingconfig

import (
	"fmt"
	"os"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
)

// Name is the type's name in environments.<name>.type.
const Name = "existing"

func init() {
	config.RegisterType(config.EnvironmentType{Name: Name, Cluster: true, Waits: clusterconfig.Waits(nil),
		Section: config.Section[struct{}, struct{}]{Check: check, Build: build}})
}

// check validates an existing environment: it takes no cluster section (kubeconfig and context
// select the cluster), and a kubeconfig it names must exist.
func check(c *config.Check, section *struct{}) {
	if section != nil {
		c.Field(c.Path.Child("cluster"), "not allowed for type existing: the cluster comes from kubeconfig and context")
	}
	c.Receiver()
	if k := c.Cluster.Kubeconfig; k != "" {
		if _, err := os.Stat(k); err != nil {
			c.Field(c.Path.Child("kubeconfig"), "%v; leave it empty to use $KUBECONFIG or ~/.kube/config", err)
		}
	}
}

// settings are an existing cluster's: none of its own, the generic keys select it.
type settings struct{}

func build(*config.Build, *struct{}, *struct{}) config.ClusterSettings { return settings{} }

// Summary implements config.ClusterSettings.
func (settings) Summary(c *config.Config) []string {
	kubeconfig, context := c.Cluster.Kubeconfig, c.Cluster.Context
	if kubeconfig == "" {
		kubeconfig = "$KUBECONFIG"
	}
	if context == "" {
		context = "(current)"
	}
	return []string{fmt.Sprintf("existing cluster: kubeconfig %s, context %s", kubeconfig, context)}
}
