package environment

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/tracegate/tracegate/framework/config"
)

// Type is an environment type (environments.<name>.type in ginkgo.yaml) as its own package
// registers it from init: the name, and how to make its Provider. Nothing above the
// environment packages lists them; a binary has the types whose packages it links.
type Type struct {
	// Name is the value of environments.<name>.type, such as local or kind.
	Name string
	// Cluster says the type runs in a Kubernetes cluster: it is linked only into binaries built
	// with the cluster build tag (make e2e ENV=kind|kwok|existing, CLUSTER=1).
	Cluster bool
	// New returns the Provider of an environment of this type. log gets the run's details (the
	// Ginkgo writer); progress gets a line per slow step as it happens (the terminal).
	New func(cfg *config.Config, log, progress io.Writer) Provider
}

var (
	mu    sync.Mutex
	types = map[string]Type{}
)

// Register makes an environment type available to Lookup. It panics on an empty name, a nil
// New or a second registration of the same name: all three are programming errors.
func Register(t Type) {
	mu.Lock()
	defer mu.Unlock()
	switch _, dup := types[t.Name]; {
	case t.Name == "" || t.New == nil:
		panic(fmt.Sprintf("environment.Register: type %q needs a name and New", t.Name))
	case dup:
		panic(fmt.Sprintf("environment.Register: type %q registered twice", t.Name))
	}
	types[t.Name] = t
}

// Lookup returns the registered type name. A type this binary does not link is an error that
// says which types it has and how to build one with the cluster types.
func Lookup(name string) (Type, error) {
	mu.Lock()
	defer mu.Unlock()
	if t, ok := types[name]; ok {
		return t, nil
	}
	return Type{}, fmt.Errorf("environment type %q is not built into this binary (built in: %s); the cluster types kind, "+
		"kwok and existing are built with the cluster build tag: make e2e ENV=<environment> CLUSTER=1, or go test -tags cluster",
		name, strings.Join(slices.Sorted(maps.Keys(types)), ", "))
}

// Types returns the names of the registered types, sorted.
func Types() []string {
	mu.Lock()
	defer mu.Unlock()
	return slices.Sorted(maps.Keys(types))
}
