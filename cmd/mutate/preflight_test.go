package main

import (
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/local"
)

// Every mutation of a local gateway passes its check before the build (the fixture contract's
// routing), so it reaches the suite and its owner spec judges it.
func TestEveryMutationPassesTheCheckBeforeTheBuild(t *testing.T) {
	for file, cat := range catalogues(t) {
		if len(cat.Template) > 0 {
			continue // not a local gateway's config: the local check does not read it
		}
		for _, m := range cat.Mutations {
			cfg := configtest.Repo(t, map[string]string{"E2E_ENV": cat.Environment, "E2E_IMPLEMENTATION": cat.Implementation})
			l := cfg.Implementation.Local
			text, err := os.ReadFile(l.ConfigTemplate)
			if err != nil {
				t.Fatal(err)
			}
			mutated, err := m.Apply(string(text), l.ConfigTemplate)
			if err != nil {
				t.Fatal(err)
			}
			l.ConfigTemplate = filepath.Join(t.TempDir(), filepath.Base(l.ConfigTemplate))
			if err := os.WriteFile(l.ConfigTemplate, []byte(mutated), 0o644); err != nil {
				t.Fatal(err)
			}
			l.Env = merged(l.Env, m.Env)
			variants := maps.Clone(l.Variants)
			for name, env := range m.VariantEnv {
				variants[name] = config.Variant{Env: merged(variants[name].Env, env)}
			}
			l.Variants = variants
			if err := local.Check(cfg); err != nil {
				t.Errorf("%s: mutation %s stops the run before its owner spec: %v", file, m.Name, err)
			}
		}
	}
}

func merged(base, extra map[string]string) map[string]string {
	out := maps.Clone(base)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, extra)
	return out
}
