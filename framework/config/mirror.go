package config

import (
	"maps"
	"slices"
)

// MirrorNamespace is the namespace a local mirror of a cluster implementation (envoy-as-...)
// renders its Gateways in: what the cluster's would be called there.
const MirrorNamespace = "tracegate"

// VariantNames are the gateway variants the run's environment can start, sorted: the local
// profile's (implementations.<name>.local.variants) in a local environment, the cluster
// profile's (cluster.variants) in a cluster one. Each differs from the main gateway in its
// sampling only (contract.Variant), so specs hold each to the main gateway's other expectations.
func (c *Config) VariantNames() []string {
	impl := c.Implementation
	switch {
	case c.Environment.Type == TypeLocal && impl.Local != nil:
		return slices.Sorted(maps.Keys(impl.Local.Variants))
	case c.Environment.Type != TypeLocal && impl.Cluster != nil:
		return slices.Sorted(maps.Keys(impl.Cluster.Variants))
	}
	return nil
}
