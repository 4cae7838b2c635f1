package v1alpha5_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/report/v1alpha5"
)

// TestJSONNamesAreTheYAMLNames: a report reads the same as JSON and as YAML, key for key.
func TestJSONNamesAreTheYAMLNames(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Slice || rt.Kind() == reflect.Map || rt.Kind() == reflect.Pointer {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt] {
			return
		}
		seen[rt] = true
		for f := range rt.Fields() {
			y, j := f.Tag.Get("yaml"), f.Tag.Get("json")
			if y == "" || y != j {
				t.Errorf("%s.%s: yaml tag %q, json tag %q: want both, alike", rt.Name(), f.Name, y, j)
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[v1alpha5.ConformanceReport]())
	if len(seen) < 8 {
		t.Errorf("walked %d types, want every type of the report", len(seen))
	}
}

// TestDecodeIsStrict: a misspelt key or another version is an error naming it.
func TestDecodeIsStrict(t *testing.T) {
	head := "apiVersion: " + v1alpha5.APIVersion + "\nkind: " + v1alpha5.Kind + "\n"
	if _, err := v1alpha5.Decode([]byte(head + "run: {outcome: passed}\n")); err != nil {
		t.Errorf("a valid report: %v", err)
	}
	for in, want := range map[string]string{
		head + "verdikt: {}\n": "verdikt",
		"apiVersion: tracegate.dev/v1alpha4\nkind: ConformanceReport\n": "v1alpha4",
	} {
		if _, err := v1alpha5.Decode([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Decode(%q) = %v, want an error naming %q", in, err, want)
		}
	}
}
