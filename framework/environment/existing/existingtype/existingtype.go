// Package existingtype registers the existing environment type with the config (its name and
// waits), apart from package existing so that every binary validates existing environments
// without linking client-go; package existing adds the provider.
package existingtype

import (
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clustertype"
)

// Name is the type's name in environments.<name>.type.
const Name = config.TypeExisting

func init() {
	config.RegisterType(config.EnvironmentType{Name: Name, Cluster: true, Waits: clustertype.Waits(nil)})
}
