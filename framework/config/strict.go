package config

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Limits that keep a hostile or broken file (alias bombs, deep nesting) cheap to reject.
const (
	maxNodes = 100_000
	maxDepth = 100
	// maxErrors is how many errors are listed; a file that has more is not worth reading further.
	maxErrors = 50
)

// problems collects every error found in one file, each with its line and field path.
type problems struct {
	file  string
	list  []problem
	lines map[string]int  // field path -> line of its key (or list element)
	bad   map[string]bool // paths that failed to decode: later checks on them would only repeat it
	huge  bool            // decoding stopped at maxNodes
}

type problem struct {
	line int
	msg  string
}

func newProblems(file string) *problems {
	return &problems{file: file, lines: map[string]int{}, bad: map[string]bool{}}
}

// at records an error at a known line (0: unknown) for a field path ("" for the whole file).
func (p *problems) at(line int, path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	if line > 0 {
		msg = fmt.Sprintf("%s:%d: %s", p.file, line, msg)
	} else {
		msg = p.file + ": " + msg
	}
	p.list = append(p.list, problem{line, msg})
}

// plain records an error that is not about a line of the file (an environment variable); it is
// listed after the file's errors.
func (p *problems) plain(format string, args ...any) {
	p.list = append(p.list, problem{math.MaxInt, fmt.Sprintf(format, args...)})
}

// field records an error for a decoded field, at the line of the field or of its nearest
// ancestor in the file. Nothing is recorded for a field that already failed to decode.
func (p *problems) field(path, format string, args ...any) {
	for a := path; a != ""; a = parent(a) {
		if p.bad[a] {
			return
		}
	}
	p.at(p.line(path), path, format, args...)
}

// line is the line of path or of its nearest ancestor that is in the file; 0 if none is.
func (p *problems) line(path string) int {
	for ; path != ""; path = parent(path) {
		if l, ok := p.lines[path]; ok {
			return l
		}
	}
	return 0
}

// parent is the path of the mapping or list that holds path: "a.b" for "a.b.c" and "a.b[1]".
func parent(path string) string { return path[:max(strings.LastIndexAny(path, ".["), 0)] }

// set reports whether path is written in the file (rather than defaulted or inherited).
func (p *problems) set(path string) bool {
	_, ok := p.lines[path]
	return ok
}

// err returns every problem in file order, one per line, or nil.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	list := slices.Clone(p.list)
	slices.SortStableFunc(list, func(a, b problem) int { return cmp.Compare(a.line, b.line) })
	var errs []error
	for i, pr := range list {
		if i == maxErrors {
			errs = append(errs, fmt.Errorf("%s: %d more errors not shown", p.file, len(list)-i))
			break
		}
		errs = append(errs, errors.New(pr.msg))
	}
	return errors.Join(errs...)
}

// decoder decodes a yaml.Node tree into the spec types, strictly: a key that is not a yaml tag
// of the target struct, a duplicate key, a node of the wrong kind or a scalar that does not
// parse is recorded with its line and field path, skipped, and decoding goes on, so that one
// run reports every error in the file. Decoding into an existing value only overwrites the keys
// present in the file, also inside map entries: that is how defaults and overlays work.
type decoder struct {
	*problems
	start  func(reflect.Type) reflect.Value // the value a new map entry or pointer starts from
	nodes  int
	active map[*yaml.Node]bool // aliases being expanded, to reject an alias inside its own anchor
}

func newDecoder(p *problems, start func(reflect.Type) reflect.Value) *decoder {
	return &decoder{problems: p, start: start, active: map[*yaml.Node]bool{}}
}

// decode decodes n into v, which must be settable, for the field at path.
func (d *decoder) decode(n *yaml.Node, path string, v reflect.Value, depth int) {
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
	if _, ok := d.lines[path]; !ok {
		d.lines[path] = n.Line
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
		if u, ok := v.Addr().Interface().(yaml.Unmarshaler); ok {
			if isNull(n) {
				d.fail(n, path, "has no value; %s", durationForm)
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

func (d *decoder) structure(n *yaml.Node, path string, v reflect.Value, depth int) {
	var names []string
	index := map[string]int{}
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			names = append(names, name)
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
		if !ok {
			d.at(k.Line, join(path, key), "unknown field; allowed: %s", strings.Join(names, ", "))
			return
		}
		d.decode(val, join(path, key), v.Field(i), depth+1)
	})
}

func (d *decoder) mapping(n *yaml.Node, path string, v reflect.Value, depth int) {
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
		d.decode(val, join(path, key), e, depth+1)
		v.SetMapIndex(k, e)
	})
}

func (d *decoder) sequence(n *yaml.Node, path string, v reflect.Value, depth int) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, path, "must be a list such as [a, b], not %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, e := range n.Content {
		d.decode(e, fmt.Sprintf("%s[%d]", path, i), s.Index(i), depth+1)
	}
	v.Set(s)
}

func (d *decoder) scalar(n *yaml.Node, path string, v reflect.Value) {
	want := map[reflect.Kind]string{
		reflect.String: "a string", reflect.Int: "an integer", reflect.Float64: "a number", reflect.Bool: "true or false",
	}[v.Kind()]
	if want == "" {
		panic(fmt.Sprintf("config: no decoding for %s at %s", v.Type(), path)) // a spec type this decoder does not know
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
func (d *decoder) pairs(n *yaml.Node, path string, f func(key string, k, v *yaml.Node)) {
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
			d.at(k.Line, join(path, k.Value), "duplicate key; first given at line %d", first)
			continue
		}
		seen[k.Value] = k.Line
		if _, ok := d.lines[join(path, k.Value)]; !ok {
			d.lines[join(path, k.Value)] = k.Line
		}
		f(k.Value, k, v)
	}
}

// fail records a decoding error and marks path as bad.
func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.at(n.Line, path, format, args...)
	d.bad[path] = true
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

// join appends a key to a field path, quoting a key that would make the path ambiguous or
// span lines: waits.default."my wait".timeout.
func join(path, key string) string {
	if key == "" || strings.ContainsFunc(key, func(r rune) bool {
		return r == '.' || r == '[' || r == '"' || !unicode.IsGraphic(r) || unicode.IsSpace(r)
	}) {
		key = strconv.Quote(key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}
