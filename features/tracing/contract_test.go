package tracing

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/contract"
)

// The contract names only registered features, and every feature sends a request of it.
func TestTheContractCoversEveryFeature(t *testing.T) {
	sending := map[string]bool{}
	for _, r := range contract.Routes {
		if r.Feature != "" && !slices.Contains(Names(), r.Feature) {
			t.Errorf("contract route %s%s names the feature %q, which is not registered (%v)", r.Host, r.Path, r.Feature, Names())
		}
		sending[r.Feature] = true
	}
	for _, a := range contract.Attributes {
		if !slices.Contains(Names(), a.Feature) {
			t.Errorf("contract attribute %s names the feature %q, which is not registered", a.Name, a.Feature)
		}
	}
	for _, v := range contract.Variants {
		if !slices.Contains(Names(), v.Feature) {
			t.Errorf("contract variant %s names the feature %q, which is not registered", v.Name, v.Feature)
		}
	}
	for _, name := range Names() {
		if !sending[name] {
			t.Errorf("feature %s sends no request of the fixture contract (framework/contract Routes)", name)
		}
	}
}

// The features take their hosts and paths from the contract, so it cannot drift from what the
// specs send: no string literal in a feature's request.Host or request.Path, and no example host
// literal anywhere in the package's source. It reads the source's syntax tree, and fails if it
// finds no request.Host or request.Path call to check.
func TestFeaturesTakeTheirHostsAndPathsFromTheContract(t *testing.T) {
	exampleHost := regexp.MustCompile(`^[a-z0-9.*-]+\.example\.(com|net)$`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	calls := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		req := importName(file, "github.com/tracegate/tracegate/framework/request")
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, err := strconv.Unquote(n.Value); n.Kind == token.STRING && err == nil && exampleHost.MatchString(s) {
					t.Errorf("%s: %s: take the request's Host from framework/contract (route(contract.X))", fset.Position(n.Pos()), n.Value)
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || req == "" || !isIdent(sel.X, req) || (sel.Sel.Name != "Host" && sel.Sel.Name != "Path") {
					return true
				}
				calls++
				for _, arg := range n.Args {
					ast.Inspect(arg, func(a ast.Node) bool {
						if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
							t.Errorf("%s: request.%s(%s): take the request's Host and path from framework/contract (route(contract.X))",
								fset.Position(lit.Pos()), sel.Sel.Name, lit.Value)
						}
						return true
					})
				}
			}
			return true
		})
	}
	if calls == 0 {
		t.Fatal("found no request.Host or request.Path call in the package's source: has the way requests are built changed?")
	}
}

// importName is the name a file imports path under, or "" when it does not import it.
func importName(file *ast.File, path string) string {
	for _, imp := range file.Imports {
		if p, err := strconv.Unquote(imp.Path.Value); err != nil || p != path {
			continue
		}
		if imp.Name != nil {
			return imp.Name.Name
		}
		return filepath.Base(path)
	}
	return ""
}

func isIdent(e ast.Expr, name string) bool { id, ok := e.(*ast.Ident); return ok && id.Name == name }
