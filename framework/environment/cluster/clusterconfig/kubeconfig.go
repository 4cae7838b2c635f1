package clusterconfig

import "github.com/tracegate/tracegate/framework/config"

// CreatesKubeconfig refuses kubeconfig and context for a type that writes the kubeconfig of the
// cluster it creates (kind, kwok), from its section's Check.
func CreatesKubeconfig(c *config.Check) {
	for _, key := range []string{"kubeconfig", "context"} {
		if c.Set(c.Path.Child(key)) {
			c.Field(c.Path.Child(key), "not allowed for type %s: %s writes the kubeconfig of the cluster it creates", c.Type, c.Type)
		}
	}
}
