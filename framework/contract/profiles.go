package contract

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/framework/config"
)

// Implementations are the implementations of cfg's profile files, by name (profiles/<name>.yaml, then
// E2E_PROFILE's), each resolved as a run of it resolves it: load adds E2E_IMPLEMENTATION, and
// a cluster environment (kind, else kwok) for an implementation that has no local profile.
func Implementations(cfg *config.Config, load func(env map[string]string) (*config.Config, error)) ([]config.Implementation, error) {
	var out []config.Implementation
	for _, file := range cfg.Profiles {
		name, err := profileName(file)
		if err != nil {
			return nil, err
		}
		c, err := load(map[string]string{"E2E_IMPLEMENTATION": name})
		// An implementation without a local profile is resolved in a cluster environment of
		// ginkgo.yaml: kind, or kwok where kind refuses it (a Kubernetes version outside its
		// support window).
		for _, env := range []string{"kind", "kwok"} {
			if err == nil {
				break
			}
			if cc, cerr := load(map[string]string{"E2E_IMPLEMENTATION": name, "E2E_ENV": env}); cerr == nil {
				c, err = cc, nil
			}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c.Implementation)
	}
	slices.SortFunc(out, func(a, b config.Implementation) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// profileName is the implementation a profile file defines: its one key under implementations.
func profileName(file string) (string, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	var doc struct {
		Implementations map[string]yaml.Node `yaml:"implementations"`
	}
	if err := yaml.Unmarshal(text, &doc); err != nil || len(doc.Implementations) != 1 {
		return "", fmt.Errorf("%s: want one implementation under implementations (%v)", file, err)
	}
	return slices.Collect(maps.Keys(doc.Implementations))[0], nil
}
