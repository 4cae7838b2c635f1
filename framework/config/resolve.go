package config

import (
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// resolver validates a decoded file, applies the overlays and the environment variables, and
// builds the Config.
type resolver struct {
	*spec.Problems
	start  func(reflect.Type) reflect.Value
	root   *yaml.Node // nil for an empty file
	file   spec.File  // decoded over the defaults
	abs    string
	lookup Env
	// features are the names implementations.<name>.features may list.
	features []string
	// runDir is what relative reportDir and debug.artifactsDir are resolved against (RunDir).
	runDir string
	// profiles are the profile files merged into the file (profiles.go).
	profiles []profile
	// sections are the environment types' own sections as decoded, by the environment's path
	// (environments.<name>), and profileSections their keys of the cluster profiles, by path.
	sections, profileSections map[string]any
}

// resolve validates the file, applies the environment variables and builds the Config.
func (r *resolver) resolve() (*Config, error) {
	if r.Huge() {
		return nil, r.Err()
	}
	r.sections, r.profileSections = map[string]any{}, map[string]any{}
	r.validate()
	c := &Config{File: r.abs, Dir: filepath.Dir(r.abs), TimeoutScale: r.file.TimeoutScale}
	r.applyEnv(c)
	if err := r.Err(); err != nil {
		return nil, err
	}
	r.build(c)
	if err := r.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// applyEnv applies E2E_ENV, E2E_IMPLEMENTATION, E2E_TIMEOUT_SCALE and DEBUG, and records what
// they changed.
func (r *resolver) applyEnv(c *Config) {
	f := &r.file
	c.Environment.Name = f.Environment
	if v, ok := get(r.lookup, "E2E_ENV"); ok {
		if _, known := f.Environments[v]; !known {
			r.Plain("E2E_ENV: %q is not an environment in %s; allowed: %s", v, r.abs, list(slices.Sorted(maps.Keys(f.Environments))))
		} else {
			c.Environment.Name = v
			c.overrides = append(c.overrides, "E2E_ENV="+v)
		}
	}
	env := f.Environments[c.Environment.Name]
	c.Environment.Implementation = env.Implementation
	if v, ok := get(r.lookup, "E2E_IMPLEMENTATION"); ok {
		impl, known := f.Implementations[v]
		switch {
		case !known:
			r.Plain(
				"E2E_IMPLEMENTATION: %q is not an implementation in %s; allowed: %s",
				v,
				r.abs,
				list(slices.Sorted(maps.Keys(f.Implementations))),
			)
		case env.Type == TypeLocal && impl.Local == nil:
			r.Plain(
				"E2E_IMPLEMENTATION: implementation %q has no local profile (implementations.%s.local in %s), which environment %q of type local needs",
				v,
				v,
				r.abs,
				c.Environment.Name,
			)
		default:
			c.Environment.Implementation = v
			c.overrides = append(c.overrides, "E2E_IMPLEMENTATION="+v)
		}
	}
	if v, ok := get(r.lookup, "E2E_TIMEOUT_SCALE"); ok {
		if s, err := strconv.ParseFloat(v, 64); err != nil || !positive(s) {
			r.Plain("E2E_TIMEOUT_SCALE: %q is not a number > 0", v)
		} else {
			c.TimeoutScale = s
			c.overrides = append(c.overrides, "E2E_TIMEOUT_SCALE="+v)
		}
	}
	c.Debug.Enabled = f.Debug.Enabled
	r.boolOverride(c, "DEBUG", func(b bool) { c.Debug.Enabled = b })
}

// boolOverride applies a boolean environment variable (1, true, 0 or false), if it is set.
func (r *resolver) boolOverride(c *Config, name string, set func(bool)) {
	v, ok := get(r.lookup, name)
	if !ok {
		return
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.Plain("%s: %q is not allowed; allowed: 1, true, 0, false", name, v)
		return
	}
	set(b)
	c.overrides = append(c.overrides, name+"="+v)
}

// waits returns the waits of env: the default entries (the built-in ones with the file's
// waits.default decoded over them) with waits.<env> decoded over a copy, field by field.
func (r *resolver) waits(env string) map[string]spec.Wait {
	w := maps.Clone(r.file.Waits["default"])
	if env != "default" {
		r.overlay(&w, "waits", env)
	}
	return w
}

// request returns the request policy of env, built like waits.
func (r *resolver) request(env string) spec.Request {
	p := r.file.Request["default"]
	if env != "default" {
		r.overlay(&p, "request", env)
	}
	return p
}

// overlay decodes section.env from the file over *v. Its errors were reported when the whole
// file was decoded, so they are not collected again.
func (r *resolver) overlay(v any, section, env string) {
	if n := spec.Find(r.root, section, env); n != nil {
		spec.NewDecoder(spec.NewProblems(""), r.start).Decode(n, spec.Child(field.NewPath(section), env), v)
	}
}

// SuitePrefix starts a profile's path to one of the suite's own files, resolved against the
// directory of the suite's ginkgo.yaml (the repository, or the door's embedded files) instead
// of the profile's: an implementer's profile names the suite's fixtures so, such as
// tracegate:fixtures/cluster/common (the echo upstream, the routes, the OTLP Service) or
// tracegate:fixtures/gateway-api/v1.6.1, beside fixtures of its own.
const SuitePrefix = "tracegate:"

// path resolves a path of a file of the config against dir (the directory of the file that
// holds it), or a SuitePrefix path against the suite's directory.
func (r *resolver) path(dir, p string) string {
	if rest, ok := strings.CutPrefix(p, SuitePrefix); ok {
		return absolute(filepath.Dir(r.abs), rest)
	}
	return absolute(dir, p)
}

// resolvedAgainst says, for a message, what the path name of the field at path resolved against.
func (r *resolver) resolvedAgainst(path *field.Path, name string) string {
	if strings.HasPrefix(name, SuitePrefix) {
		return fmt.Sprintf("a path starting %s is resolved against the suite's files, %s", SuitePrefix, filepath.Dir(r.abs))
	}
	return "a relative path is resolved against " + r.dirOf(path)
}

// absolute resolves path against dir (the config file's directory) unless it is absolute.
func absolute(dir, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(dir, path)
}

// expandHome expands a leading ~/ so kubeconfig paths can be written as in a shell.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

func positive(f float64) bool { return f > 0 && !math.IsInf(f, 0) }

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// orList joins values as "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return list(values)
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// list joins allowed values for an error message.
func list[T any](values []T) string {
	if len(values) == 0 {
		return "(none defined)"
	}
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ", ")
}
