// Package kindconfig is the config side of the kind environment: it registers the type's name,
// waits and ginkgo.yaml section with the config, apart from package kind and its client-go.
package kindconfig

import (
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
)

// Name is the type's name in environments.<name>.type.
const Name = "kind"

// WaitDockerReachable is docker info answering before a kind cluster is created.
const WaitDockerReachable config.WaitName = "dockerReachable"

// EchoImage is the suite's echo upstream (cmd/echo) as the image the kind environment builds
// and loads into its nodes: the same upstream as on every other environment, with no registry.
const EchoImage = "tracegate.local/echo:dev"

func init() {
	config.RegisterType(config.EnvironmentType{Name: Name, Cluster: true,
		Waits: clusterconfig.Waits(map[config.WaitName]config.WaitDefault{
			WaitDockerReachable: {Timeout: 5 * time.Second, Polling: 500 * time.Millisecond},
		}),
		Section: config.Section[clusterSpec, ProfileLocalBuild]{
			Default: defaults, ProfileKey: "localBuild", FormerProfileKey: "here", Check: check, CheckProfile: checkProfileLocalBuild, Build: build,
		},
	})
}

// defaults is what environments.<name>.cluster of a kind environment is decoded over.
func defaults() clusterSpec {
	return clusterSpec{Name: "tracegate", Config: "fixtures/kind/cluster.yaml.tmpl"}
}
