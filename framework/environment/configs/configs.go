// Package configs links the config side of every cluster environment type (kind, kwok and
// existing register their names, waits and ginkgo.yaml sections; local is the config's own)
// without their providers or client-go: import it wherever ginkgo.yaml is loaded.
package configs

import (
	_ "github.com/tracegate/tracegate/framework/environment/existing/existingconfig"
	_ "github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
	_ "github.com/tracegate/tracegate/framework/environment/kwok/kwokconfig"
)
