package config

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
)

// FileName is the name Load looks for.
const FileName = "ginkgo.yaml"

// Load loads the config file named by E2E_CONFIG or, without it, the ginkgo.yaml in the working
// directory or the nearest parent directory that has one (suites run in their package
// directory, the file is at the repository root). A relative E2E_CONFIG is looked up the same
// way, so E2E_CONFIG=ci/ginkgo.yaml works from anywhere in the repository.
func Load(lookup Env, features []string) (*Config, error) {
	name := FileName
	if p, ok := get(lookup, "E2E_CONFIG"); ok {
		if filepath.IsAbs(p) {
			if _, err := os.Stat(p); err != nil {
				return nil, fmt.Errorf("config: E2E_CONFIG=%s: %w; unset E2E_CONFIG to use the %s of the repository", p, err, FileName)
			}
			return LoadFile(p, lookup, features)
		}
		name = p
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("config: finding %s: %w", name, err)
	}
	path, err := find(wd, name)
	if err != nil {
		return nil, err
	}
	return LoadFile(path, lookup, features)
}

// find returns dir/name for dir the first of start and its parents that has it.
func find(start, name string) (string, error) {
	var looked []string
	for dir := start; ; dir = filepath.Dir(dir) {
		path := filepath.Join(dir, name)
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			return path, nil
		}
		looked = append(looked, path)
		if filepath.Dir(dir) == dir {
			break
		}
	}
	how := "set E2E_CONFIG to the path of a config file"
	if name != FileName {
		how = "E2E_CONFIG is relative; it is looked up from the working directory upwards"
	}
	return "", fmt.Errorf("config: %s not found in %s or any parent directory (looked for %s); %s",
		name, start, strings.Join(looked, ", "), how)
}

// LoadFile loads, validates and resolves the config file at path for the environment that
// E2E_ENV (or the file's environment key) names, with the E2E_IMPLEMENTATION, E2E_TIMEOUT_SCALE
// and DEBUG overrides from lookup (nil: no environment variables). features are the feature
// names a profile may list: those the suite registers. The error lists every problem found,
// each as "path:line: field: what is wrong; allowed: ...".
func LoadFile(path string, lookup Env, features []string) (*Config, error) {
	return load(path, lookup, features, nil, RunDir())
}

// Root is a configuration the caller places, loaded with no search from the working directory:
// the public door's (package conformance) embedded ginkgo.yaml and profiles/, extracted into a
// directory, with an implementer's own profile files.
type Root struct {
	// Dir holds the ginkgo.yaml to load and the profiles/ beside it.
	Dir string
	// Profiles are added after profiles/ and before E2E_PROFILE's, as E2E_PROFILE adds them:
	// each may replace an implementation of profiles/.
	Profiles []ProfileFile
	// RunDir is what a relative reportDir and debug.artifactsDir resolve against, and where a
	// relative E2E_PROFILE is looked up after the working directory; "" is the working directory.
	RunDir string
}

// ProfileFile is a profile file the caller brings.
type ProfileFile struct {
	Path string // absolute, or relative to the working directory
	Dir  string // what its relative paths resolve against; "" is the file's own directory
}

// LoadRoot loads, validates and resolves root's ginkgo.yaml and profiles as LoadFile does,
// ignoring E2E_CONFIG.
func LoadRoot(root Root, lookup Env, features []string) (*Config, error) {
	runDir := root.RunDir
	if runDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		runDir = wd
	}
	extra := make([]profileSource, len(root.Profiles))
	for i, pf := range root.Profiles {
		file, err := filepath.Abs(pf.Path)
		if err != nil {
			return nil, fmt.Errorf("config: profile %s: %w", pf.Path, err)
		}
		if fi, err := os.Stat(file); err != nil || !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("config: profile %s is not a file (%v)", file, err)
		}
		extra[i] = profileSource{file: file, dir: cmp.Or(pf.Dir, filepath.Dir(file))}
	}
	return load(filepath.Join(root.Dir, FileName), lookup, features, extra, runDir)
}

// load is LoadFile and LoadRoot: extra are profiles added after profiles/ and runDir is what the
// run's own paths resolve against (RunDir).
func load(path string, lookup Env, features []string, extra []profileSource, runDir string) (*Config, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	root, err := spec.Parse(path, data)
	if err != nil {
		return nil, err
	}
	b := defaults()
	f := b.File
	p := spec.NewProblems(path)
	root, profiles, err := mergeProfiles(abs, root, lookup, p, extra, runDir)
	if err != nil {
		return nil, err
	}
	if root != nil {
		spec.NewDecoder(p, b.Start).Decode(root, nil, &f)
	}
	r := &resolver{
		Problems: p,
		start:    b.Start,
		root:     root,
		file:     f,
		abs:      abs,
		lookup:   lookup,
		features: features,
		runDir:   runDir,
		profiles: profiles,
	}
	return r.resolve()
}

// RunDir is the directory a run's relative reportDir and debug.artifactsDir are resolved
// against: the repository (the directory of the ginkgo.yaml found from the working directory
// upwards) or, outside one, the working directory. Never the directory of an E2E_CONFIG file.
func RunDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	if repo, err := find(wd, FileName); err == nil {
		return filepath.Dir(repo)
	}
	return wd
}

// get returns a non-empty environment variable.
func get(lookup Env, name string) (string, bool) {
	if lookup == nil {
		return "", false
	}
	v, ok := lookup(name)
	return v, ok && v != ""
}
