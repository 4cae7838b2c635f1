package environment

import (
	"io"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

func TestRegistry(t *testing.T) {
	newNothing := func(*config.Config, io.Writer, io.Writer) Provider { return nil }
	Register(Type{Name: "registry-test", New: newNothing})
	got, err := Lookup("registry-test")
	if err != nil || got.Name != "registry-test" {
		t.Fatalf("Lookup(registry-test) = %+v, %v; want the registered type", got, err)
	}
	_, err = Lookup("no-such-type")
	if err == nil || !strings.Contains(err.Error(), "registry-test") || !strings.Contains(err.Error(), "cluster build tag") {
		t.Fatalf("Lookup(no-such-type) error = %v; want one naming the built-in types and the cluster build tag", err)
	}
	for name, typ := range map[string]Type{
		"a second registration": {Name: "registry-test", New: newNothing},
		"no name":               {New: newNothing},
		"no New":                {Name: "registry-test-2"},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register with %s did not panic", name)
				}
			}()
			Register(typ)
		}()
	}
}
