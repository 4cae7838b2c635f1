// Package kindtype registers the kind environment type with the config (its name and waits),
// apart from package kind so that every binary validates kind environments without linking
// client-go; package kind adds the provider.
package kindtype

import (
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clustertype"
)

// Name is the type's name in environments.<name>.type.
const Name = config.TypeKind

// WaitDockerReachable is docker info answering before a kind cluster is created.
const WaitDockerReachable config.WaitName = "dockerReachable"

func init() {
	config.RegisterType(config.EnvironmentType{Name: Name, Cluster: true, Waits: clustertype.Waits(map[config.WaitName]config.WaitDefault{
		WaitDockerReachable: {Timeout: 5 * time.Second, Polling: 500 * time.Millisecond},
	})})
}
