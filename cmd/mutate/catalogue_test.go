package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

// TestEveryOwnerIsASpec: every mutation's owner is the full text of a spec of features/tracing,
// so that `make mutate` judges each mutation by the spec meant to catch it.
func TestEveryOwnerIsASpec(t *testing.T) {
	specs := specTexts(t)
	for file, cat := range catalogues(t) {
		for _, m := range cat.Mutations {
			if !specs[m.Owner] {
				t.Errorf("%s: mutation %s: owner %q is not a spec; specs are:\n  %s", file, m.Name, m.Owner, strings.Join(keys(specs), "\n  "))
			}
		}
	}
}

// specTexts reads features/tracing's source for each feature (register(Feature{...})) and the
// specs its literal declares: the feature's Title then an It's text, or its Title, a
// DescribeTable's text and a row's name (tracing.RowNames). It fails unless it finds every
// registered feature, each with a spec, and every table tracing.RowNames lists.
func specTexts(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("../../features/tracing/*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	specs, features, tables := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isIdent(call.Fun, "register") || len(call.Args) != 1 {
				return true
			}
			feature, ok := call.Args[0].(*ast.CompositeLit)
			if !ok || !isIdent(feature.Type, "Feature") {
				return true
			}
			name, title := field(t, fset, feature, "Name"), field(t, fset, feature, "Title")
			features[name] = true
			declared := 0
			ast.Inspect(feature, func(n ast.Node) bool {
				spec, ok := n.(*ast.CallExpr)
				if !ok || len(spec.Args) == 0 {
					return true
				}
				switch {
				case isIdent(spec.Fun, "It"):
					specs[title+" "+stringLit(t, fset, spec.Args[0])] = true
					declared++
				case isIdent(spec.Fun, "DescribeTable"):
					table := stringLit(t, fset, spec.Args[0])
					tables[table] = true
					for _, row := range tracing.RowNames()[table] { // a table it does not list has no row to own
						specs[title+" "+table+" "+row] = true
					}
					declared++
				}
				return true
			})
			if declared == 0 {
				t.Errorf("%s: feature %s declares no It or DescribeTable in its Feature literal", fset.Position(call.Pos()), name)
			}
			return false
		})
	}
	if got, want := slices.Sorted(maps.Keys(features)), tracing.Names(); !slices.Equal(got, want) {
		t.Fatalf("found the features %v in features/tracing's source (register(Feature{...})), want the registered %v: "+
			"has the way features are declared changed?", got, want)
	}
	for table := range tracing.RowNames() {
		if !tables[table] {
			t.Errorf("tracing.RowNames lists the table %q, which no DescribeTable of a feature in features/tracing declares", table)
		}
	}
	return specs
}

func isIdent(e ast.Expr, name string) bool { id, ok := e.(*ast.Ident); return ok && id.Name == name }

// field returns the string literal a Feature literal gives key.
func field(t *testing.T, fset *token.FileSet, lit *ast.CompositeLit, key string) string {
	t.Helper()
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, key) {
			return stringLit(t, fset, kv.Value)
		}
	}
	t.Fatalf("%s: a Feature literal without %s", fset.Position(lit.Pos()), key)
	return ""
}

// stringLit returns the string a literal holds, and fails for anything else: a spec's text the
// test cannot read is a spec no owner can be checked against.
func stringLit(t *testing.T, fset *token.FileSet, e ast.Expr) string {
	t.Helper()
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		t.Fatalf("%s: a feature's Name and Title, and a spec's or table's text, must be string literals, got %T", fset.Position(e.Pos()), e)
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		t.Fatal(err)
	}
	return s
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
