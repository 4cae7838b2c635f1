package config

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"github.com/tracegate/tracegate/internal/render"
)

// validate checks the decoded file and records every problem it has: the top-level keys here,
// each area in its own validate_*.go file.
func (r *resolver) validate() {
	f := &r.file
	envs, impls := slices.Sorted(maps.Keys(f.Environments)), slices.Sorted(maps.Keys(f.Implementations))

	if !positive(f.TimeoutScale) {
		r.Field(field.NewPath("timeoutScale"), "%s is not a number > 0", formatFloat(f.TimeoutScale))
	}
	if len(envs) == 0 {
		r.Field(
			field.NewPath("environments"),
			"no environment is defined; define at least %q, e.g. %s: {type: local, implementation: <one of implementations>}",
			f.Environment,
			f.Environment,
		)
	} else if _, ok := f.Environments[f.Environment]; !ok {
		r.Field(field.NewPath("environment"), "%q is not an environment; allowed: %s", f.Environment, list(envs))
	}
	for _, name := range envs {
		r.checkEnvironment(name, f.Environments[name], impls)
	}
	for _, name := range slices.Sorted(maps.Keys(f.DeviationSets)) {
		r.checkDeviations(spec.Child(field.NewPath("deviationSets"), name), f.DeviationSets[name])
	}
	for _, name := range impls {
		r.checkImplementation(name, f.Implementations[name], r.implDir(name))
	}
	r.checkWaits(envs)
	r.checkRequests(envs)
	r.checkFaults()
	if !positive(f.Absence.MarkerFactor) {
		r.Field(field.NewPath("absence", "markerFactor"), "%s is not a number > 0", formatFloat(f.Absence.MarkerFactor))
	}
	if !positive(f.Absence.ExportDelayFactor) {
		r.Field(field.NewPath("absence", "exportDelayFactor"), "%s is not a number > 0", formatFloat(f.Absence.ExportDelayFactor))
	}
	if f.Debug.PauseTimeout.Duration <= 0 {
		r.Field(field.NewPath("debug", "pauseTimeout"), "must be > 0; %s", spec.DurationForm)
	}
	if f.Debug.ArtifactsDir == "" {
		r.Field(field.NewPath("debug", "artifactsDir"), "must not be empty: a directory, relative to the directory of %s", r.abs)
	}
	if f.ReportDir == "" {
		r.Field(field.NewPath("reportDir"), "must not be empty: a directory, relative to the directory of %s", r.abs)
	}
}

// variantName keeps a variant name usable as part of a directory name.
var variantName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// checkEnv checks environment variables whose values are templates.
func (r *resolver) checkEnv(path *field.Path, env map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(env)) {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			r.Field(spec.Child(path, k), "%q is not an environment variable name", k)
		}
		r.checkTemplate(spec.Child(path, k), env[k])
	}
}

// checkTemplate checks that text parses as a Go template.
func (r *resolver) checkTemplate(path *field.Path, text string) {
	if _, err := render.Parse(path.String(), text, nil); err != nil {
		r.Field(path, "not a valid Go template: %v", err)
	}
}

// checkTemplateFile checks that a template file named relative to the config file exists and
// parses.
func (r *resolver) checkTemplateFile(path *field.Path, name string) {
	if name == "" {
		r.Field(path, "required: a file, relative to the directory of %s", r.abs)
		return
	}
	file := r.path(r.dirOf(path), name)
	text, err := os.ReadFile(file)
	switch {
	case os.IsNotExist(err):
		r.Field(path, "%s does not exist (%s)", file, r.resolvedAgainst(path, name))
	case err != nil:
		r.Field(path, "%v", err)
	default:
		r.checkTemplate(path, string(text))
	}
}

// checkDir checks that a directory named relative to the config file exists and holds YAML.
// checkFile checks that an optional file (name "" is none) exists, relative to the directory
// of the file that holds path.
func (r *resolver) checkFile(path *field.Path, name string) {
	if name == "" {
		return
	}
	if _, err := os.Stat(r.path(r.dirOf(path), name)); err != nil {
		r.Field(path, "%v (%s)", err, r.resolvedAgainst(path, name))
	}
}

func (r *resolver) checkDir(path *field.Path, name string) {
	dir := r.path(r.dirOf(path), name)
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml*"))
	if fi, statErr := os.Stat(dir); statErr != nil || !fi.IsDir() {
		r.Field(path, "%s is not a directory (%s)", dir, r.resolvedAgainst(path, name))
	} else if err != nil || len(files) == 0 {
		r.Field(path, "%s holds no .yaml or .yaml.tmpl file", dir)
	}
}

// dnsLabel checks a Kubernetes or kind name with validation.IsDNS1123Label (lowercase letters,
// digits and '-', starting and ending with a letter or digit, at most 63 characters) and
// against maxLen, when the name must be shorter than that. The errors say the allowed
// characters in their own words; for a name that is too long, tooLong is the validator's
// message on its length, with maxLen, for the error to end with.
func dnsLabel(name string, maxLen int) (ok bool, tooLong string) {
	if len(name) > maxLen {
		return false, "; " + validation.MaxLenError(maxLen)
	}
	return len(validation.IsDNS1123Label(name)) == 0, ""
}
