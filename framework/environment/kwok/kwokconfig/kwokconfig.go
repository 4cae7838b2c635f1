// Package kwokconfig is the config side of the kwok environment: it registers the type's name,
// waits and ginkgo.yaml section with the config, apart from package kwok and its client-go.
package kwokconfig

import (
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
)

// Name is the type's name in environments.<name>.type.
const Name = "kwok"

// The waits of an implementation run as local processes beside a kwok cluster.
const (
	// WaitControllerReady is the implementation's controller, a local process, answering its
	// readiness endpoint.
	WaitControllerReady config.WaitName = "controllerReady"
	// WaitListenerReady is a proxy run as a local process accepting connections on its
	// Gateway's listener: Programmed there is reported from stand-ins, not from the proxy.
	WaitListenerReady config.WaitName = "listenerReady"
)

func init() {
	config.RegisterType(config.EnvironmentType{Name: Name, Cluster: true,
		Waits: clusterconfig.Waits(map[config.WaitName]config.WaitDefault{
			WaitControllerReady: {Timeout: 60 * time.Second, Polling: 200 * time.Millisecond},
			WaitListenerReady:   {Timeout: 60 * time.Second, Polling: 100 * time.Millisecond},
		}),
		Section: config.Section[clusterSpec, ProfileSpec]{
			Default:      defaults,
			ProfileKey:   "kwok",
			Check:        check,
			CheckProfile: checkProfile,
			Build:        build,
		},
	})
}
