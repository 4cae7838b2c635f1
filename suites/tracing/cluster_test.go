//go:build cluster

package tracing_test

// The cluster environment types, only with the cluster build tag (make e2e ENV=kind|kwok|existing
// sets it): a local run then never compiles or links client-go and e2e-framework.
import (
	_ "github.com/tracegate/tracegate/framework/environment/existing"
	_ "github.com/tracegate/tracegate/framework/environment/kind"
	_ "github.com/tracegate/tracegate/framework/environment/kwok"
)
