package tracing

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
// specs send: no Host or path literal in a feature's request.
func TestFeaturesTakeTheirHostsAndPathsFromTheContract(t *testing.T) {
	literal := regexp.MustCompile(`request\.(Host|Path)\(\s*"[^"]*",?\s*\)|"[a-z0-9.*-]+\.example\.(com|net)"`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAll(text, -1) {
			t.Errorf("%s: %s: take the request's Host and path from framework/contract (route(contract.X))", file, m)
		}
	}
}
