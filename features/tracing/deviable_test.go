package tracing_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/harness"
)

// TestEveryDeclaredDeviationIsJudged: every deviation the repository's profiles and deviation
// sets declare names a spec or row that judges its failure against it: a row of a table-driven
// feature (harness.CheckDeviations), or a spec declared through in.declarable for the others.
func TestEveryDeclaredDeviationIsJudged(t *testing.T) {
	declarable := declarableSpecs(t)
	for _, impl := range []string{"caddy", "envoy", "envoy-gateway", "kgateway", "contour"} {
		env := map[string]string{"E2E_IMPLEMENTATION": impl}
		switch impl {
		case "envoy-gateway", "kgateway":
			env["E2E_ENV"] = "kind"
		case "contour":
			env["E2E_ENV"] = "kwok"
		case "caddy":
			env["E2E_ENV"] = "local"
		}
		cfg := configtest.Repo(t, env)
		if err := harness.CheckDeviations(cfg, tracing.Catalog()); err != nil {
			t.Errorf("%s: %v", impl, err)
		}
		for feature, declared := range cfg.Implementation.Deviations {
			if tableDriven(feature) {
				continue // CheckDeviations holds them to the table's rows
			}
			for spec, d := range declared {
				if !slices.Contains(declarable[feature], spec) {
					t.Errorf("%s: %s declares %q, which is no spec of %s that judges a declaration (in.declarable); those are %q",
						impl, d.Source, spec, feature, declarable[feature])
				}
			}
		}
	}
}

func tableDriven(feature string) bool {
	for _, f := range tracing.Catalog() {
		if f.Name == feature {
			return len(f.Deviable) > 0
		}
	}
	return false
}

// declarableSpecs reads the package's source for It(text, in.declarable(feature, ...)): the
// texts of the specs of each feature that judge a declared deviation.
func declarableSpecs(t *testing.T) map[string][]string {
	t.Helper()
	names, _ := filepath.Glob("*.go")
	out := map[string][]string{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			it, ok := n.(*ast.CallExpr)
			if !ok || len(it.Args) != 2 || !isIdent(it.Fun, "It") {
				return true
			}
			body, ok := it.Args[1].(*ast.CallExpr)
			if !ok || len(body.Args) != 2 {
				return true
			}
			if sel, ok := body.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "declarable" {
				return true
			}
			text, feature := stringLit(t, it.Args[0]), stringLit(t, body.Args[0])
			out[feature] = append(out[feature], text)
			return true
		})
	}
	for _, f := range tracing.Catalog() {
		if !tableDriven(f.Name) && len(out[f.Name]) == 0 {
			t.Errorf(
				"found no declarable spec of %s in the package's source: has the way specs are declared changed? (%v)",
				f.Name,
				slices.Sorted(maps.Keys(out)),
			)
		}
	}
	return out
}

func isIdent(e ast.Expr, name string) bool { id, ok := e.(*ast.Ident); return ok && id.Name == name }

func stringLit(t *testing.T, e ast.Expr) string {
	t.Helper()
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		t.Fatalf("a declarable spec's text and feature must be string literals, got %T", e)
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
