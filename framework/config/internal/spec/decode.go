package spec

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Limits that keep a hostile or broken file (alias bombs, deep nesting) cheap to reject.
const (
	maxNodes = 100_000
	maxDepth = 100
)

// Decoder decodes a yaml.Node tree into the spec types, strictly: a key that is not a yaml tag
// of the target struct, a duplicate key, a node of the wrong kind or a scalar that does not
// parse is recorded with its line and field path, skipped, and decoding goes on, so that one
// run reports every error in the file. Decoding into an existing value only overwrites the keys
// present in the file, also inside map entries: that is how defaults and overlays work.
type Decoder struct {
	*Problems
	start  func(reflect.Type) reflect.Value // the value a new map entry or pointer starts from
	nodes  int
	active map[*yaml.Node]bool // aliases being expanded, to reject an alias inside its own anchor
}

// NewDecoder returns a decoder that records its errors in p. start returns the value a new map
// entry or pointer of a type starts from before the file's keys are decoded over it.
func NewDecoder(p *Problems, start func(reflect.Type) reflect.Value) *Decoder {
	return &Decoder{Problems: p, start: start, active: map[*yaml.Node]bool{}}
}

// Decode decodes n over the value v points to, for the field at path (nil for the whole file).
func (d *Decoder) Decode(n *yaml.Node, path *field.Path, v any) {
	d.decode(n, path, reflect.ValueOf(v).Elem(), 0)
}

// decode decodes n into v, which must be settable, for the field at path.
func (d *Decoder) decode(n *yaml.Node, path *field.Path, v reflect.Value, depth int) {
	if d.nodes++; d.nodes > maxNodes {
		if !d.huge {
			d.huge = true
			d.at(n.Line, path, "the file is too large: more than %d values, counting each use of an alias", maxNodes)
		}
		return
	}
	if depth > maxDepth {
		d.fail(n, path, "nested more than %d levels deep", maxDepth)
		return
	}
	if s := render(path); !d.written(s) {
		d.lines[s] = n.Line
	}
	if n.Kind == yaml.AliasNode {
		if d.active[n] || n.Alias == nil {
			d.fail(n, path, "alias *%s refers to the value that contains it", n.Value)
			return
		}
		d.active[n] = true
		defer delete(d.active, n)
		d.decode(n.Alias, path, v, depth+1)
		return
	}
	if v.CanAddr() {
		if raw, ok := v.Addr().Interface().(*Raw); ok { // another package decodes it (Decode)
			raw.Node = n
			return
		}
		if _, ok := v.Addr().Interface().(*Refused); ok { // its check refuses it
			return
		}
		if u, ok := v.Addr().Interface().(yaml.Unmarshaler); ok {
			if isNull(n) {
				d.fail(n, path, "has no value; %s", DurationForm)
			} else if err := u.UnmarshalYAML(n); err != nil {
				d.fail(n, path, "%s", err)
			}
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			return
		}
		if v.IsNil() {
			p := reflect.New(v.Type().Elem())
			p.Elem().Set(d.start(v.Type().Elem()))
			v.Set(p)
		}
		d.decode(n, path, v.Elem(), depth+1)
	case reflect.Struct:
		d.structure(n, path, v, depth)
	case reflect.Map:
		d.mapping(n, path, v, depth)
	case reflect.Slice:
		d.sequence(n, path, v, depth)
	default:
		d.scalar(n, path, v)
	}
}

func (d *Decoder) structure(n *yaml.Node, path *field.Path, v reflect.Value, depth int) {
	names := Keys(v.Type())
	index := map[string]int{}
	extra := -1
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if v.Type().Field(i).Tag.Get("decode") == "extra" {
			extra = i
		} else if name != "" && name != "-" {
			index[name] = i
		}
	}
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "must be a mapping with keys %s, not %s", strings.Join(names, ", "), describe(n))
		return
	}
	d.pairs(n, path, func(key string, k, val *yaml.Node) {
		i, ok := index[key]
		switch {
		case !ok && extra >= 0: // the caller checks these keys (Extra)
			m := v.Field(extra)
			if m.IsNil() {
				m.Set(reflect.MakeMap(m.Type()))
			}
			m.SetMapIndex(reflect.ValueOf(key), reflect.ValueOf(Raw{Node: val}))
		case !ok:
			d.at(k.Line, Child(path, key), "unknown field; allowed: %s", strings.Join(names, ", "))
		default:
			d.decode(val, Child(path, key), v.Field(i), depth+1)
		}
	})
}

// Keys are the keys of the struct type t: its fields' yaml tags, in field order, the order of
// "allowed:" lists in errors; not those of Refused fields.
func Keys(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" &&
			name != "-" &&
			t.Field(i).Type != reflect.TypeFor[Refused]() {
			names = append(names, name)
		}
	}
	return names
}

func (d *Decoder) mapping(n *yaml.Node, path *field.Path, v reflect.Value, depth int) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "must be a mapping, not %s", describe(n))
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	d.pairs(n, path, func(key string, _, val *yaml.Node) {
		k := reflect.ValueOf(key)
		e := d.start(v.Type().Elem())
		if old := v.MapIndex(k); old.IsValid() {
			e.Set(old)
		}
		d.decode(val, Child(path, key), e, depth+1)
		v.SetMapIndex(k, e)
	})
}

func (d *Decoder) sequence(n *yaml.Node, path *field.Path, v reflect.Value, depth int) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, path, "must be a list such as [a, b], not %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, e := range n.Content {
		d.decode(e, path.Index(i), s.Index(i), depth+1)
	}
	v.Set(s)
}

func (d *Decoder) scalar(n *yaml.Node, path *field.Path, v reflect.Value) {
	want := map[reflect.Kind]string{
		reflect.String: "a string", reflect.Int: "an integer", reflect.Float64: "a number", reflect.Bool: "true or false",
	}[v.Kind()]
	if want == "" {
		panic(fmt.Sprintf("config: no decoding for %s at %s", v.Type(), render(path))) // a spec type this decoder does not know
	}
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "must be %s, not %s", want, describe(n))
		return
	}
	if isNull(n) {
		d.fail(n, path, "has no value; expected %s", want)
		return
	}
	p := reflect.New(v.Type())
	if err := n.Decode(p.Interface()); err != nil {
		if v.Kind() == reflect.Bool {
			d.fail(n, path, "%q is not true or false", n.Value)
		} else {
			d.fail(n, path, "%q is not %s", n.Value, want)
		}
		return
	}
	v.Set(p.Elem())
}

// pairs calls f for each key of the mapping n, rejecting keys that are not plain strings and
// keys given twice.
func (d *Decoder) pairs(n *yaml.Node, path *field.Path, f func(key string, k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		switch {
		case k.Kind != yaml.ScalarNode:
			d.at(k.Line, path, "a key must be a string, not %s", describe(k))
			continue
		case k.Tag == "!!merge":
			d.at(k.Line, path, "merge keys (<<) are not supported; write the fields out")
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.at(k.Line, Child(path, k.Value), "duplicate key; first given at line %d", first)
			continue
		}
		seen[k.Value] = k.Line
		if key := render(Child(path, k.Value)); !d.written(key) {
			d.lines[key] = k.Line
		}
		f(k.Value, k, v)
	}
}

// fail records a decoding error and marks path as bad.
func (d *Decoder) fail(n *yaml.Node, path *field.Path, format string, args ...any) {
	d.at(n.Line, path, format, args...)
	d.bad[render(path)] = true
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// describe names a node in an error: its text for a scalar, its kind otherwise.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if isNull(n) {
		return "an empty value"
	}
	return fmt.Sprintf("%q", n.Value)
}

// Find returns the value at keys in the mapping n (the first, if a key is repeated), or nil.
func Find(n *yaml.Node, keys ...string) *yaml.Node {
	for _, key := range keys {
		for n != nil && n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content) && next == nil; i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}
