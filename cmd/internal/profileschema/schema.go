// Package profileschema generates a profile's JSON Schema and its key reference from the public
// profile types and the keys environment types register (make schema).
package profileschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
	_ "github.com/tracegate/tracegate/framework/environment/configs" // every type's profile key
	"github.com/tracegate/tracegate/profile"
)

// The committed files, relative to the repository.
const (
	SchemaFile    = "profiles/profile.schema.json"
	ReferenceFile = "docs/profile-reference.md"
	// SchemaID is where an editor finds the schema of a profile outside the repository.
	SchemaID = "https://raw.githubusercontent.com/tracegate/tracegate/main/" + SchemaFile
	module   = "github.com/tracegate/tracegate"
)

// commentDirs are the packages whose doc comments describe the profile's keys.
var commentDirs = []string{"profile", "framework/environment/kind/kindconfig", "framework/environment/kwok/kwokconfig"}

// Schema is the JSON Schema of a profile file, from the Go sources under root (for the doc
// comments), which is relative to the working directory wd's package, or absolute.
func Schema(root string) (*jsonschema.Schema, error) {
	r := &jsonschema.Reflector{
		RequiredFromJSONSchemaTags: false,
		AdditionalFields:           sectionFields,
		Namer:                      func(t reflect.Type) string { return namespaced(t) },
		Mapper:                     durations,
	}
	for _, dir := range commentDirs {
		base, rel, err := commentPaths(root, dir)
		if err != nil {
			return nil, err
		}
		if err := r.AddGoComments(base, rel); err != nil {
			return nil, fmt.Errorf("profileschema: reading the doc comments of %s: %w", dir, err)
		}
	}
	s := r.Reflect(&profile.File{})
	s.ID = SchemaID
	s.Title = "tracegate implementation profile"
	one := uint64(1)
	s.MinProperties, s.MaxProperties = nil, nil
	file := s.Definitions[namespaced(reflect.TypeFor[profile.File]())]
	if impls, ok := file.Properties.Get("implementations"); ok {
		impls.MinProperties, impls.MaxProperties = &one, &one
	}
	constrain(s, r.CommentMap)
	return s, nil
}

// commentPaths are what AddGoComments takes for dir of the repository at root: a base import
// path and a path from the working directory that join to dir's import path.
func commentPaths(root, dir string) (base, rel string, err error) {
	wd, err := filepath.Abs(".")
	if err != nil {
		return "", "", err
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", "", err
	}
	up, err := filepath.Rel(absRoot, wd) // the working directory inside the repository
	if err != nil || strings.HasPrefix(up, "..") {
		return "", "", fmt.Errorf("profileschema: the working directory %s is not inside the repository %s", wd, absRoot)
	}
	rel, _ = filepath.Rel(wd, filepath.Join(absRoot, dir))
	return path.Join(module, filepath.ToSlash(up)), filepath.ToSlash(rel), nil
}

// sectionFields adds to the cluster profile the keys environment types own (kind's localBuild,
// kwok's kwok), each of its package's type.
func sectionFields(t reflect.Type) []reflect.StructField {
	if t != reflect.TypeFor[profile.ClusterProfile]() {
		return nil
	}
	keys := config.ProfileKeyTypes()
	var out []reflect.StructField
	for _, key := range slices.Sorted(maps.Keys(keys)) {
		out = append(out, reflect.StructField{
			Name: strings.ToUpper(key[:1]) + key[1:], Type: reflect.PointerTo(keys[key]),
			Tag: reflect.StructTag(fmt.Sprintf(`json:"%s,omitempty"`, key)),
		})
	}
	return out
}

// durations maps profile.Duration to its schema: a Go duration string.
func durations(t reflect.Type) *jsonschema.Schema {
	if t != reflect.TypeFor[profile.Duration]() {
		return nil
	}
	return &jsonschema.Schema{
		Type:        "string",
		Pattern:     `^(0|([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+)$`,
		Description: "a Go duration such as 500ms, 5s or 2m",
	}
}

// namespaced names a definition after its package, so that two packages' Spec types differ.
func namespaced(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	pkg := path.Base(t.PkgPath())
	if t.PkgPath() == "" || pkg == "profile" {
		return t.Name()
	}
	return pkg + "." + t.Name()
}

// constrain adds what the types alone do not say: the feature names, the spec and row IDs a
// deviation names, and the environment types' own key descriptions.
func constrain(s *jsonschema.Schema, comments map[string]string) {
	features := make([]any, 0)
	for _, name := range tracing.Names() {
		features = append(features, name)
	}
	impl := s.Definitions["Implementation"]
	if p, ok := impl.Properties.Get("features"); ok {
		p.Items.Enum = features
	}
	if p, ok := impl.Properties.Get("deviations"); ok {
		p.PropertyNames = &jsonschema.Schema{Enum: features}
		var ids []any
		for _, f := range tracing.All() {
			for _, id := range f.DeclarableIDs() {
				ids = append(ids, id)
			}
		}
		slices.SortFunc(ids, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
		if p.AdditionalProperties != nil {
			p.AdditionalProperties.PropertyNames = &jsonschema.Schema{Enum: ids}
		}
	}
	cluster := s.Definitions["ClusterProfile"]
	for key, t := range config.ProfileKeyTypes() {
		if p, ok := cluster.Properties.Get(key); ok && p.Description == "" {
			p.Description = comments[t.PkgPath()+"."+t.Name()]
		}
	}
}

// JSON is the schema as committed: indented, with a final newline.
func JSON(s *jsonschema.Schema) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Files are the generated files' contents, by their path relative to the repository at root.
func Files(root string) (map[string][]byte, error) {
	s, err := Schema(root)
	if err != nil {
		return nil, err
	}
	data, err := JSON(s)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{SchemaFile: data, ReferenceFile: []byte(Reference(s))}, nil
}

// Write writes the generated files into the repository at root.
func Write(root string) error {
	files, err := Files(root)
	if err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(root, name), data, 0o644); err != nil {
			return fmt.Errorf("profileschema: %w", err)
		}
	}
	return nil
}
