package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The catalogue is only run by `make mutate`; these checks keep it in step with the template
// and the specs on every `make test`.

func TestEveryMutationStillApplies(t *testing.T) {
	cat, err := LoadCatalogue("../../fixtures/mutations/caddy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := os.ReadFile("../../fixtures/local/caddy/Caddyfile.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range cat.Mutations {
		mutated, err := m.Apply(string(tmpl), "Caddyfile.tmpl")
		if err != nil {
			t.Error(err)
		} else if len(m.Replace) > 0 && mutated == string(tmpl) {
			t.Errorf("mutation %s changes nothing", m.Name)
		}
	}
}

var describeText = regexp.MustCompile(`register\(Feature\{Name: "\w+", Title: "([^"]+)"`)
var itText = regexp.MustCompile(`\bIt\("([^"]+)"`)

func TestEveryOwnerIsASpec(t *testing.T) {
	files, _ := filepath.Glob("../../features/tracing/*.go")
	specs := map[string]bool{}
	for _, f := range files {
		src, _ := os.ReadFile(f)
		d := describeText.FindStringSubmatch(string(src))
		if d == nil {
			continue
		}
		for _, it := range itText.FindAllStringSubmatch(string(src), -1) {
			specs[d[1]+" "+it[1]] = true
		}
	}
	if len(specs) == 0 {
		t.Fatal("found no specs in features/tracing")
	}
	cat, _ := LoadCatalogue("../../fixtures/mutations/caddy.yaml")
	for _, m := range cat.Mutations {
		if !specs[m.Owner] {
			t.Errorf("mutation %s: owner %q is not a spec; specs are:\n  %s", m.Name, m.Owner, strings.Join(keys(specs), "\n  "))
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
