package config

import (
	"slices"
	"testing"
	"time"
)

func TestRegisterType(t *testing.T) {
	waits := map[WaitName]WaitDefault{"registryTestWait": {Timeout: time.Minute, Polling: time.Second}}
	t.Cleanup(func() { typesMu.Lock(); delete(types, "registry-test"); typesMu.Unlock() })
	RegisterType(EnvironmentType{Name: "registry-test", Cluster: true, Waits: waits})
	RegisterType(EnvironmentType{Name: "registry-test", Cluster: true, Waits: waits}) // the same again: nothing
	if !slices.Contains(environmentTypes(true), "registry-test") || slices.Contains(environmentTypes(true), TypeLocal) {
		t.Errorf("cluster types = %v; want registry-test and not local", environmentTypes(true))
	}
	if w := defaults().File.Waits["default"]["registryTestWait"]; w.Timeout.Duration != time.Minute || w.Polling.Duration != time.Second {
		t.Errorf("waits.default.registryTestWait = %+v; want the registered default", w)
	}
	for name, typ := range map[string]EnvironmentType{
		"no name":                     {Cluster: true},
		"the same name, differently":  {Name: "registry-test"},
		"a wait with another default": {Name: "registry-test-2", Waits: map[WaitName]WaitDefault{"registryTestWait": {Timeout: time.Second}}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("RegisterType with %s did not panic", name)
				}
			}()
			RegisterType(typ)
		}()
	}
}
