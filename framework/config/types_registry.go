package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"time"
)

// EnvironmentType is what the config knows of an environment type (environments.<name>.type):
// its name, whether it runs in a cluster, its named waits with their built-in defaults, and
// its own config section. The type's own package registers it (RegisterType) from init, in a
// package light enough to be linked into every binary, so that every file validates whichever
// types a binary runs. local, the gateway as a child process, is the config's own.
type EnvironmentType struct {
	Name    string
	Cluster bool // takes the cluster keys: cluster, receiver, kubeconfig, context, namespacePrefix
	// Waits are the named waits the type uses beyond the generic ones, with their defaults
	// (what waits.default.<name> is when the file does not set it). Two types may name the
	// same wait only with the same default.
	Waits map[WaitName]WaitDefault
	// Section is a cluster type's own settings (a Section): environments.<name>.cluster, and a
	// key of its own in an implementation's cluster profile. Nil: the type takes no cluster
	// key, and its receiver is checked as Check.Receiver does.
	Section TypeSection
}

// WaitDefault is a named wait's built-in timeout and polling interval.
type WaitDefault struct {
	Timeout, Polling time.Duration
}

var (
	typesMu sync.Mutex
	types   = map[string]EnvironmentType{TypeLocal: {Name: TypeLocal}}
)

// RegisterType adds an environment type. It panics on an empty name, on a name registered
// with another spec, and on a wait another type registered with another default: each is a
// programming error. Registering the same spec again does nothing.
func RegisterType(t EnvironmentType) {
	typesMu.Lock()
	defer typesMu.Unlock()
	if t.Name == "" {
		panic("config.RegisterType: an environment type needs a name")
	}
	if old, ok := types[t.Name]; ok {
		if old.Cluster == t.Cluster && maps.Equal(old.Waits, t.Waits) && (old.Section == nil) == (t.Section == nil) {
			return
		}
		panic(fmt.Sprintf("config.RegisterType: environment type %q registered twice, differently", t.Name))
	}
	if key := profileKey(t); key != "" {
		for _, other := range types {
			if profileKey(other) == key {
				panic(fmt.Sprintf("config.RegisterType: profile key %q of type %s is type %s's", key, t.Name, other.Name))
			}
		}
	}
	for name, d := range t.Waits {
		for _, other := range types {
			if od, ok := other.Waits[name]; ok && od != d {
				panic(fmt.Sprintf("config.RegisterType: wait %q of type %s has another default in type %s", name, t.Name, other.Name))
			}
		}
	}
	types[t.Name] = t
}

// environmentTypes returns the registered type names, sorted; cluster limits them to the
// cluster types.
func environmentTypes(clusterOnly bool) []string {
	typesMu.Lock()
	defer typesMu.Unlock()
	var names []string
	for name, t := range types {
		if t.Cluster || !clusterOnly {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// typeWaits returns every registered type's waits with their defaults.
func typeWaits() map[WaitName]WaitDefault {
	typesMu.Lock()
	defer typesMu.Unlock()
	waits := map[WaitName]WaitDefault{}
	for _, t := range types {
		maps.Copy(waits, t.Waits)
	}
	return waits
}

// clusterType returns the registered cluster type name.
func clusterType(name string) (EnvironmentType, bool) {
	typesMu.Lock()
	defer typesMu.Unlock()
	t, ok := types[name]
	return t, ok && t.Cluster
}

// profileKeys returns the keys of implementations.<name>.cluster that types own, with their type.
func profileKeys() map[string]EnvironmentType {
	typesMu.Lock()
	defer typesMu.Unlock()
	keys := map[string]EnvironmentType{}
	for _, t := range types {
		if key := profileKey(t); key != "" {
			keys[key] = t
		}
	}
	return keys
}

// formerProfileKeys maps each key of implementations.<name>.cluster a type's key was once
// called to the key's name now.
func formerProfileKeys() map[string]string {
	typesMu.Lock()
	defer typesMu.Unlock()
	keys := map[string]string{}
	for _, t := range types {
		if t.Section != nil && t.Section.formerProfileKey() != "" {
			keys[t.Section.formerProfileKey()] = t.Section.profileKey()
		}
	}
	return keys
}

func profileKey(t EnvironmentType) string {
	if t.Section == nil {
		return ""
	}
	return t.Section.profileKey()
}

// ProfileKeyTypes returns the keys of implementations.<name>.cluster that the registered
// environment types own (kind's localBuild), each with the type its package decodes it into:
// what a profile's JSON Schema adds to profile.ClusterProfile.
func ProfileKeyTypes() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for key, t := range profileKeys() {
		out[key] = t.Section.profileType()
	}
	return out
}
