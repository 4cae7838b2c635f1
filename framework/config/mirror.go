package config

import (
	"fmt"
	"maps"
	"slices"
)

// MirrorNamespace is the namespace a local mirror of a cluster implementation (envoy-as-...)
// renders its Gateways in: what the cluster's would be called there.
const MirrorNamespace = "tracegate"

// VariantNames are the gateway variants the run's environment can start, sorted: the local
// profile's (implementations.<name>.local.variants) in a local environment, but those it says
// are unavailable, the cluster profile's (cluster.variants) in a cluster one. Each differs from
// the main gateway in its sampling or tracing only (contract.Variant).
func (c *Config) VariantNames() []string {
	impl := c.Implementation
	switch {
	case c.Environment.Type == TypeLocal && impl.Local != nil:
		var names []string
		for _, name := range slices.Sorted(maps.Keys(impl.Local.Variants)) {
			if impl.Local.Variants[name].Unavailable == "" {
				names = append(names, name)
			}
		}
		return names
	case c.Environment.Type != TypeLocal && impl.Cluster != nil:
		return slices.Sorted(maps.Keys(impl.Cluster.Variants))
	}
	return nil
}

// VariantUnavailable says why the run's environment cannot start the variant name, naming the
// profile field: the local profile's unavailable reason, or the variant not defined. "" where
// it can (VariantNames lists it).
func (c *Config) VariantUnavailable(name string) string {
	if slices.Contains(c.VariantNames(), name) {
		return ""
	}
	impl, file := c.Implementation, c.ImplementationFile()
	switch {
	case c.Environment.Type == TypeLocal && impl.Local != nil && impl.Local.Variants[name].Unavailable != "":
		return fmt.Sprintf("%s cannot be configured as the variant %s: %s (implementations.%s.local.variants.%s.unavailable in %s)",
			impl.Name, name, impl.Local.Variants[name].Unavailable, impl.Name, name, file)
	case c.Environment.Type == TypeLocal:
		return fmt.Sprintf("implementations.%s.local.variants in %s defines no variant %s", impl.Name, file, name)
	}
	return fmt.Sprintf("implementations.%s.cluster.variants in %s names no Gateway for the variant %s", impl.Name, file, name)
}
