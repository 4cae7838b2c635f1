package cluster

import (
	"fmt"
	"maps"
	"slices"
	"text/template"
)

// templateFuncs are the functions fixture templates may use besides text/template's own.
var templateFuncs = template.FuncMap{
	// dict builds a map from key, value pairs, to pass several values to a template.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict needs key, value pairs, got %d arguments", len(kv))
		}
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	// keys returns the keys of a map in order, for output that does not change between runs.
	"keys": func(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) },
}
