// Package builtin links the config side of the built-in cluster environment types (kind, kwok
// and existing register their names and waits; local is the config's own) without their
// providers or client-go: import it wherever ginkgo.yaml is loaded.
package builtin

import (
	_ "github.com/tracegate/tracegate/framework/environment/existing/existingtype"
	_ "github.com/tracegate/tracegate/framework/environment/kind/kindtype"
	_ "github.com/tracegate/tracegate/framework/environment/kwok/kwoktype"
)
