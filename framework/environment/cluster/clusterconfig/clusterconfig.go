// Package clusterconfig holds the named waits every cluster environment type (kind, kwok,
// existing) shares, with their defaults; each type registers them with its own (config.RegisterType).
package clusterconfig

import (
	"maps"
	"time"

	"github.com/tracegate/tracegate/framework/config"
)

// The named waits of the cluster steps every cluster type runs.
const (
	WaitClusterReady      config.WaitName = "clusterReady"      // nodes Ready, kube-system pods running
	WaitInstallReady      config.WaitName = "installReady"      // CRDs established, controllers available
	WaitGatewayProgrammed config.WaitName = "gatewayProgrammed" // Gateways Programmed, echo backend available
	WaitRouteAccepted     config.WaitName = "routeAccepted"     // HTTPRoutes and policies Accepted
	WaitPortForward       config.WaitName = "portForward"       // a proxy pod running and forwarded
)

// Waits returns the shared waits with their defaults, and extra, for a type's registration.
func Waits(extra map[config.WaitName]config.WaitDefault) map[config.WaitName]config.WaitDefault {
	w := map[config.WaitName]config.WaitDefault{
		WaitClusterReady:      {Timeout: 300 * time.Second, Polling: 2 * time.Second},
		WaitInstallReady:      {Timeout: 300 * time.Second, Polling: 2 * time.Second},
		WaitGatewayProgrammed: {Timeout: 180 * time.Second, Polling: time.Second},
		WaitRouteAccepted:     {Timeout: 120 * time.Second, Polling: time.Second},
		WaitPortForward:       {Timeout: 60 * time.Second, Polling: 500 * time.Millisecond},
	}
	maps.Copy(w, extra)
	return w
}

// EchoLoader is the settings (config.Cluster.Settings) of a cluster type that loads the suite's
// echo upstream into its nodes itself (kind): the fixtures run that image and never pull it.
type EchoLoader interface {
	config.ClusterSettings
	EchoImage() string
}
