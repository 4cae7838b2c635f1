package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ProfilesDir is the directory beside the config file whose *.yaml files are the
// implementations' profiles, one implementation a file: profiles/<implementation>.yaml.
const ProfilesDir = "profiles"

// profileSeparators split E2E_PROFILE into paths: E2E_PROFILE=a.yaml:b.yaml or a.yaml,b.yaml.
const profileSeparators = ":,"

// profile is one profile file merged into the config: the implementation it defines and the
// directory its relative paths resolve against.
type profile struct {
	file, name, dir string
	replaced        string // for E2E_PROFILE: where the implementation it replaces was defined
}

// profileSource is a profile file to merge and the directory its relative paths resolve against.
type profileSource struct{ file, dir string }

// mergeProfiles reads the profiles beside the config file (profiles/*.yaml), then extra (a
// Root's), then those E2E_PROFILE names, and merges each one's implementation into root's
// implementations, so that they are decoded and validated as one tree; p names each profile's
// file and lines in errors. A profile in profiles/ resolves its relative paths against the
// config file's directory (the repository), an E2E_PROFILE file against its own, an extra one
// against its dir. An implementation is defined once, in ginkgo.yaml or in profiles/; an extra
// or E2E_PROFILE file may replace one. A relative E2E_PROFILE is looked up in the working
// directory, then in runDir.
func mergeProfiles(
	abs string,
	root *yaml.Node,
	lookup Env,
	p *spec.Problems,
	extra []profileSource,
	runDir string,
) (*yaml.Node, []profile, error) {
	if root == nil {
		root = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	if root.Kind != yaml.MappingNode {
		return root, nil, nil // the decoder says what is wrong with it
	}
	files, err := filepath.Glob(filepath.Join(filepath.Dir(abs), ProfilesDir, "*.yaml"))
	if err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	slices.Sort(files)
	var sources []profileSource
	for _, f := range files {
		sources = append(sources, profileSource{file: f, dir: filepath.Dir(abs)})
	}
	own := len(sources)
	sources = append(sources, extra...)
	if v, ok := get(lookup, "E2E_PROFILE"); ok {
		wd, _ := os.Getwd()
		for _, name := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(profileSeparators, r) }) {
			f := profilePath(name, wd, runDir)
			if f == "" {
				return nil, nil, fmt.Errorf("config: E2E_PROFILE=%s: %s is not a file (paths are separated by ':' or ','; "+
					"a relative one is looked up in the working directory %s, then the repository %s)",
					v, name, wd, runDir)
			}
			sources = append(sources, profileSource{file: f, dir: filepath.Dir(f)})
		}
	}
	impls := mappingValue(root, "implementations")
	var profiles []profile
	for i, src := range sources {
		file := src.file
		name, key, value, err := readProfile(file)
		if err != nil {
			return nil, nil, err
		}
		pr := profile{file: file, name: name, dir: src.dir}
		if want := strings.TrimSuffix(filepath.Base(file), ".yaml"); i < own && name != want {
			return nil, nil, fmt.Errorf("%s:%d: implementations.%s: a profile in %s defines the implementation its file is named after; "+
				"want %s, or rename the file %s.yaml",
				file, key.Line, name, ProfilesDir, want, name)
		}
		if at := keyIndex(impls, name); at >= 0 {
			where := fmt.Sprintf("%s:%d", abs, impls.Content[at].Line)
			if j := slices.IndexFunc(profiles, func(q profile) bool { return q.name == name }); j >= 0 {
				where = fmt.Sprintf("%s:%d", profiles[j].file, impls.Content[at].Line)
				profiles = slices.Delete(profiles, j, j+1)
			}
			if i < own {
				return nil, nil, fmt.Errorf("%s:%d: implementations.%s: already defined at %s; "+
					"an implementation is defined once (an E2E_PROFILE file may replace one)",
					file, key.Line, name, where)
			}
			pr.replaced = where
			impls.Content = slices.Delete(impls.Content, at, at+2)
		}
		impls.Content = append(impls.Content, key, value)
		p.From(spec.Child(field.NewPath("implementations"), name), file)
		profiles = append(profiles, pr)
	}
	return root, profiles, nil
}

// profilePath is the absolute path of the E2E_PROFILE file name, relative to the first of dirs
// that has it (a suite runs in its package directory: make e2e E2E_PROFILE=mine.yaml from the
// repository finds it there); "" if none has it.
func profilePath(name string, dirs ...string) string {
	for _, dir := range dirs {
		f := absolute(dir, name)
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() {
			return f
		}
		if filepath.IsAbs(name) {
			break
		}
	}
	return ""
}

// readProfile parses a profile file: a mapping whose only key is implementations, holding
// exactly one implementation, as it would be written in ginkgo.yaml.
func readProfile(file string) (name string, key, value *yaml.Node, err error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", nil, nil, fmt.Errorf("config: %w", err)
	}
	root, err := spec.Parse(file, data)
	if err != nil {
		return "", nil, nil, err
	}
	if root == nil || root.Kind != yaml.MappingNode {
		return "", nil, nil, fmt.Errorf("%s:1: a profile file is a mapping with one key, implementations, "+
			"holding one implementation as ginkgo.yaml would", file)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; k.Value != "implementations" {
			return "", nil, nil, fmt.Errorf(
				"%s:%d: %s: not allowed in a profile file; allowed: implementations (the run's settings stay in %s)",
				file,
				k.Line,
				k.Value,
				FileName,
			)
		}
	}
	impls := mappingValue(root, "implementations")
	if impls.Kind != yaml.MappingNode || len(impls.Content) != 2 {
		var names []string
		for i := 0; i+1 < len(impls.Content); i += 2 {
			names = append(names, impls.Content[i].Value)
		}
		return "", nil, nil, fmt.Errorf(
			"%s:%d: implementations: a profile file defines exactly one implementation; found %d %v",
			file,
			max(impls.Line, 1),
			len(names),
			names,
		)
	}
	return impls.Content[0].Value, impls.Content[0], impls.Content[1], nil
}

// keyIndex is the index in m.Content of key's key node, or -1.
func keyIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// mappingValue is the value of key in the mapping m, added as an empty mapping if m lacks it.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
	return v
}

// dirOf is the directory a relative path in the field at path resolves against: its profile
// file's (profile.dir) under implementations.<name>, else the config file's.
func (r *resolver) dirOf(path *field.Path) string {
	s := path.String()
	for _, pr := range r.profiles {
		if prefix := spec.Child(field.NewPath("implementations"), pr.name).String(); s == prefix ||
			strings.HasPrefix(s, prefix+".") ||
			strings.HasPrefix(s, prefix+"[") {
			return pr.dir
		}
	}
	return filepath.Dir(r.abs)
}

// implDir is the directory the implementation's relative paths resolve against.
func (r *resolver) implDir(name string) string {
	return r.dirOf(spec.Child(field.NewPath("implementations"), name))
}

// implFile is the file the implementation is defined in: its profile's, or the config file.
func (r *resolver) implFile(name string) string {
	for _, pr := range r.profiles {
		if pr.name == name {
			return pr.file
		}
	}
	return r.abs
}

// ProfileName is the name of the implementation the profile file defines.
func ProfileName(file string) (string, error) {
	name, _, _, err := readProfile(file)
	return name, err
}
