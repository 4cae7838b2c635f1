package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/features/tracing"
)

// The catalogue is only run by `make mutate`; these checks keep it in step with the template
// and the specs on every `make test`.

// catalogues loads every catalogue with the config template of the profile it mutates.
func catalogues(t *testing.T) map[string]*Catalogue {
	t.Helper()
	files, _ := filepath.Glob("../../fixtures/mutations/*.yaml")
	if len(files) == 0 {
		t.Fatal("found no catalogues in fixtures/mutations")
	}
	out := map[string]*Catalogue{}
	for _, f := range files {
		cat, err := LoadCatalogue(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = cat
	}
	return out
}

func TestEveryMutationStillApplies(t *testing.T) {
	doc := readYAML(t, "../../ginkgo.yaml")
	for file, cat := range catalogues(t) {
		profile := readYAML(t, filepath.Join("../..", ProfilePath(cat.Implementation)))
		keys := cat.templateKeys()
		tmplNode := lookup(profile.Content[0], append([]string{"implementations", cat.Implementation}, keys...)...)
		if tmplNode == nil {
			t.Errorf("%s: %s has no implementations.%s.%s", file, ProfilePath(cat.Implementation), cat.Implementation, strings.Join(keys, "."))
			continue
		}
		if cat.Environment != "" && lookup(doc.Content[0], "environments", cat.Environment) == nil {
			t.Errorf("%s: ginkgo.yaml has no environment %q", file, cat.Environment)
		}
		tmpl, err := os.ReadFile(filepath.Join("../..", tmplNode.Value))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range cat.Mutations {
			mutated, err := m.Apply(string(tmpl), tmplNode.Value)
			if err != nil {
				t.Errorf("%s: %v", file, err)
			} else if len(m.Replace) > 0 && mutated == string(tmpl) {
				t.Errorf("%s: mutation %s changes nothing", file, m.Name)
			}
		}
	}
}

var (
	describeText = regexp.MustCompile(`register\(Feature\{\s*Name:\s*"\w+",\s*Title:\s*"([^"]+)"`)
	itText       = regexp.MustCompile(`\bIt\(\s*"([^"]+)"`)

	// A table's text: its entries are named after their rows (tracing.RowNames).
	tableText = regexp.MustCompile(`\bDescribeTable\(\s*"([^"]+)"`)
)

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

		for _, table := range tableText.FindAllStringSubmatch(string(src), -1) {
			for _, row := range tracing.RowNames()[table[1]] {
				specs[d[1]+" "+table[1]+" "+row] = true
			}
		}
	}
	if len(specs) == 0 {
		t.Fatal("found no specs in features/tracing")
	}
	for file, cat := range catalogues(t) {
		for _, m := range cat.Mutations {
			if !specs[m.Owner] {
				t.Errorf("%s: mutation %s: owner %q is not a spec; specs are:\n  %s", file, m.Name, m.Owner, strings.Join(keys(specs), "\n  "))
			}
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

func readYAML(t *testing.T, path string) *yaml.Node {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// The catalogues' table in fixtures/mutations/README.md counts each catalogue's mutations.
func TestReadmeCountsEachCatalogue(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/mutations/README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z]+\\.yaml)` \\|.*\\| ([0-9]+) \\|[^|]*\\|$")
	counted := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(data), -1) {
		counted[m[1]] = m[2]
	}
	for file, cat := range catalogues(t) {
		name := filepath.Base(file)
		if got, want := counted[name], strconv.Itoa(len(cat.Mutations)); got != want {
			t.Errorf("fixtures/mutations/README.md counts %q mutations in %s; it has %s", got, name, want)
		}
	}
}
