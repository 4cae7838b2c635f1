package config

import (
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"go.yaml.in/yaml/v3"
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
}

func (r *resolver) resolve() (*Config, error) {
	if r.Huge() {
		return nil, r.Err()
	}
	f, dir := &r.file, filepath.Dir(r.abs)
	envs, impls := slices.Sorted(maps.Keys(f.Environments)), slices.Sorted(maps.Keys(f.Implementations))

	if !positive(f.TimeoutScale) {
		r.Field("timeoutScale", "%s is not a number > 0", formatFloat(f.TimeoutScale))
	}
	if len(envs) == 0 {
		r.Field("environments", "no environment is defined; define at least %q, e.g. %s: {type: local, implementation: <one of implementations>}", f.Environment, f.Environment)
	} else if _, ok := f.Environments[f.Environment]; !ok {
		r.Field("environment", "%q is not an environment; allowed: %s", f.Environment, list(envs))
	}
	for _, name := range envs {
		r.checkEnvironment(name, f.Environments[name], impls)
	}
	for _, name := range impls {
		r.checkImplementation(name, f.Implementations[name], dir)
	}
	r.checkWaits(envs)
	r.checkRequests(envs)
	r.checkFaults()
	if f.Debug.PauseTimeout.Duration <= 0 {
		r.Field("debug.pauseTimeout", "must be > 0; %s", spec.DurationForm)
	}
	if f.Debug.ArtifactsDir == "" {
		r.Field("debug.artifactsDir", "must not be empty: a directory, relative to the directory of %s", r.abs)
	}
	if f.ReportDir == "" {
		r.Field("reportDir", "must not be empty: a directory, relative to the directory of %s", r.abs)
	}

	c := &Config{File: r.abs, Dir: dir, TimeoutScale: f.TimeoutScale}
	r.applyEnv(c, impls)
	if err := r.Err(); err != nil {
		return nil, err
	}
	r.build(c)
	if err := r.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (r *resolver) checkEnvironment(name string, e spec.Environment, impls []string) {
	base := spec.Join("environments", name)
	if name == "default" {
		r.Field(base, `"default" is not allowed as an environment name: waits.default and request.default are what every environment inherits`)
	}
	switch {
	case e.Type == "":
		r.Field(base+".type", "required; allowed: %s", list(environmentTypes))
	case !slices.Contains(environmentTypes, e.Type):
		r.Field(base+".type", "%q is not allowed; allowed: %s", e.Type, list(environmentTypes))
	}
	switch impl, ok := r.file.Implementations[e.Implementation]; {
	case e.Implementation == "":
		r.Field(base+".implementation", "required; allowed: %s", list(impls))
	case !ok:
		r.Field(base+".implementation", "%q is not an implementation; allowed: %s", e.Implementation, list(impls))
	case e.Type == "local" && impl.Local == nil:
		r.Field(base+".implementation", "implementation %q has no local profile (implementations.%s.local), which an environment of type local needs", e.Implementation, e.Implementation)
	}
	if !slices.Contains(otlpProtocols, e.OTLPProtocol) {
		r.Field(base+".otlpProtocol", "%q is not allowed; allowed: %s", e.OTLPProtocol, list(otlpProtocols))
	}
	r.checkEnvironmentFaults(base, e.Faults)
	r.checkCollector(base, e)
	r.checkClusterEnvironment(base, e)
}

func (r *resolver) checkImplementation(name string, impl spec.Implementation, dir string) {
	base := spec.Join("implementations", name)
	for i, f := range impl.Features {
		if !slices.Contains(r.features, f) {
			r.Field(fmt.Sprintf("%s.features[%d]", base, i), "%q is not allowed; allowed: %s", f, list(r.features))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(impl.ResourceAttributes)) {
		// They are passed as OTEL_RESOURCE_ATTRIBUTES=k1=v1,k2=v2 without escaping.
		if k == "" || strings.ContainsAny(k, "=,% \t\n") {
			r.Field(spec.Join(base+".resourceAttributes", k), "%q is not allowed as an attribute key: it must be non-empty, without '=', ',', '%%' or spaces", k)
		}
		if v := impl.ResourceAttributes[k]; strings.ContainsAny(v, ",%\n") {
			r.Field(spec.Join(base+".resourceAttributes", k), "%q is not allowed as an attribute value: it must not contain ',', '%%' or a newline", v)
		}
	}
	if strings.ContainsAny(impl.ServiceName, ",%\n") {
		r.Field(base+".serviceName", "%q is not allowed: it must not contain ',', '%%' or a newline", impl.ServiceName)
	}
	r.checkImplementationNaming(base, impl)
	r.checkClusterProfile(base, impl.Cluster)
	l := impl.Local
	if l == nil {
		return
	}
	base += ".local"
	if len(l.Command) == 0 {
		r.Field(base+".command", `required: a non-empty list such as [bin/gateway, --config, "{{.ConfigFile}}"]`)
	} else if l.Command[0] == "" {
		r.Field(base+".command[0]", "the program must not be empty")
	}
	for i, a := range l.Command {
		r.checkTemplate(fmt.Sprintf("%s.command[%d]", base, i), a)
	}
	r.checkEnv(base+".env", l.Env)
	for _, name := range slices.Sorted(maps.Keys(l.Variants)) {
		path := spec.Join(base+".variants", name)
		if !variantName.MatchString(name) {
			r.Field(path, "%q is not allowed as a variant name; use letters, digits, '.', '_' and '-', such as sampling-zero", name)
		}
		r.checkEnv(path+".env", l.Variants[name].Env)
	}
	if l.ConfigTemplate != "" {
		path := absolute(dir, l.ConfigTemplate)
		text, err := os.ReadFile(path)
		switch {
		case os.IsNotExist(err):
			r.Field(base+".configTemplate", "%s does not exist (a relative path is resolved against %s)", path, dir)
		case err != nil:
			r.Field(base+".configTemplate", "%v", err)
		default:
			r.checkTemplate(base+".configTemplate", string(text))
		}
	}
	if n := l.ConfigName; n == "" || n == "." || n == ".." || strings.ContainsAny(n, `/\`+"\x00") {
		r.Field(base+".configName", "%q is not allowed; use a file name without a directory, such as gateway.conf", n)
	}
	if !strings.HasPrefix(l.ReadyPath, "/") {
		r.Field(base+".readyPath", "%q is not allowed; use an HTTP path starting with /, such as /ready", l.ReadyPath)
	}
}

// variantName keeps a variant name usable as part of a directory name.
var variantName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// checkEnv checks environment variables whose values are templates.
func (r *resolver) checkEnv(path string, env map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(env)) {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			r.Field(spec.Join(path, k), "%q is not an environment variable name", k)
		}
		r.checkTemplate(spec.Join(path, k), env[k])
	}
}

func (r *resolver) checkTemplate(path, text string) {
	if _, err := template.New(path).Parse(text); err != nil {
		r.Field(path, "not a valid Go template: %v", err)
	}
}

// overlayKeys checks the top keys of waits or request: "default" or an environment. It returns
// the valid ones, "default" first.
func (r *resolver) overlayKeys(section string, keys []string, envs []string) []string {
	allowed := append([]string{"default"}, envs...)
	var valid []string
	for _, k := range keys {
		if slices.Contains(allowed, k) {
			valid = append(valid, k)
		} else {
			r.Field(spec.Join(section, k), "%q is not an environment; allowed: %s", k, list(allowed))
		}
	}
	slices.SortStableFunc(valid, func(a, b string) int { return boolInt(b == "default") - boolInt(a == "default") })
	return valid
}

func (r *resolver) checkWaits(envs []string) {
	defaults := r.file.Waits["default"]
	for _, env := range r.overlayKeys("waits", slices.Sorted(maps.Keys(r.file.Waits)), envs) {
		// Only the waits written under env: cloning every default for every environment would
		// make checking quadratic in the size of the file.
		resolved := map[string]spec.Wait{}
		for name := range r.file.Waits[env] {
			if w, ok := defaults[name]; ok {
				resolved[name] = w
			}
		}
		if env != "default" {
			r.overlay(&resolved, "waits", env)
		}
		for _, name := range slices.Sorted(maps.Keys(r.file.Waits[env])) {
			w, base := resolved[name], spec.Join(spec.Join("waits", env), name)
			_, inherited := defaults[name]
			inherited = inherited && env != "default"
			if w.Timeout.Duration <= 0 {
				r.blame(base, inherited, "must be > 0; %s", []string{"timeout"}, spec.DurationForm)
			}
			if w.Polling.Duration <= 0 {
				r.blame(base, inherited, "must be > 0 and <= timeout; %s", []string{"polling"}, spec.DurationForm)
			} else if w.Timeout.Duration > 0 && w.Polling.Duration > w.Timeout.Duration {
				r.blame(base, inherited, "polling %s is longer than timeout %s; polling must be > 0 and <= timeout",
					[]string{"polling", "timeout"}, human(w.Polling.Duration), human(w.Timeout.Duration))
			}
		}
	}
}

func (r *resolver) checkRequests(envs []string) {
	for _, env := range r.overlayKeys("request", slices.Sorted(maps.Keys(r.file.Request)), envs) {
		p, base, inherited := r.request(env), spec.Join("request", env), env != "default"
		if p.AttemptTimeout.Duration <= 0 {
			r.blame(base, inherited, "must be > 0; %s", []string{"attemptTimeout"}, spec.DurationForm)
		}
		if p.Backoff.Duration <= 0 {
			r.blame(base, inherited, "must be > 0: the wait before the first retry, doubling up to maxBackoff; %s", []string{"backoff"}, spec.DurationForm)
		}
		if p.Retries < 0 {
			r.blame(base, inherited, "%d is not allowed; must be >= 0", []string{"retries"}, p.Retries)
		}
		if p.MaxBackoff.Duration < p.Backoff.Duration {
			r.blame(base, inherited, "maxBackoff %s is shorter than backoff %s; maxBackoff must be >= backoff",
				[]string{"maxBackoff", "backoff"}, human(p.MaxBackoff.Duration), human(p.Backoff.Duration))
		}
		if !inherited || r.Set(base+".retryStatuses") {
			for i, s := range p.RetryStatuses {
				if !slices.Contains(retryStatuses, s) {
					r.Field(fmt.Sprintf("%s.retryStatuses[%d]", base, i), "%d is not allowed; allowed: %s", s, list(retryStatuses))
				}
			}
		}
		if p.ConsecutiveSuccesses < 1 {
			r.blame(base, inherited, "%d is not allowed; must be >= 1", []string{"consecutiveSuccesses"}, p.ConsecutiveSuccesses)
		}
	}
}

// blame reports a problem with the fields of base (one field, or a relation between several)
// at the first of them the file sets. When none is set and the values are inherited from the
// default entry, the problem was reported there and is not repeated.
func (r *resolver) blame(base string, inherited bool, format string, fields []string, args ...any) {
	for _, f := range fields {
		if r.Set(base + "." + f) {
			r.Field(base+"."+f, format, args...)
			return
		}
	}
	if !inherited {
		r.Field(base+"."+fields[0], format, args...)
	}
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
		spec.NewDecoder(spec.NewProblems(""), r.start).Decode(n, spec.Join(section, env), v)
	}
}

// applyEnv applies E2E_ENV, E2E_IMPLEMENTATION, E2E_TIMEOUT_SCALE and DEBUG, and records what
// they changed.
func (r *resolver) applyEnv(c *Config, impls []string) {
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
			r.Plain("E2E_IMPLEMENTATION: %q is not an implementation in %s; allowed: %s", v, r.abs, list(impls))
		case env.Type == "local" && impl.Local == nil:
			r.Plain("E2E_IMPLEMENTATION: implementation %q has no local profile (implementations.%s.local in %s), which environment %q of type local needs",
				v, v, r.abs, c.Environment.Name)
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

// build fills in c for its environment from a file without errors.
func (r *resolver) build(c *Config) {
	env, f := r.file.Environments[c.Environment.Name], &r.file
	c.Environment.Type, c.Environment.ExportDelay, c.Environment.OTLPProtocol = env.Type, env.ExportDelay.Duration, env.OTLPProtocol
	c.Environment.Faults = r.faultProfile(env.Faults)
	c.Environment.Collector = r.collector(c.Dir, env.Collector)

	impl := f.Implementations[c.Environment.Implementation]
	c.Implementation = Implementation{
		Name: c.Environment.Implementation, Version: impl.Version, Features: slices.Clone(impl.Features),
		ServiceName: impl.ServiceName, ResourceAttributes: maps.Clone(impl.ResourceAttributes),
	}
	if l := impl.Local; l != nil {
		c.Implementation.Local = &LocalProfile{
			Build: slices.Clone(l.Build), Command: slices.Clone(l.Command), ConfigName: l.ConfigName,
			Env: maps.Clone(l.Env), ReadyPath: l.ReadyPath,
		}
		if len(l.Variants) > 0 {
			c.Implementation.Local.Variants = map[string]Variant{}
			for name, v := range l.Variants {
				c.Implementation.Local.Variants[name] = Variant{Env: maps.Clone(v.Env)}
			}
		}
		if l.ConfigTemplate != "" {
			c.Implementation.Local.ConfigTemplate = absolute(c.Dir, l.ConfigTemplate)
		}
	}
	r.buildCluster(c, env, impl)

	c.waits = map[WaitName]Wait{}
	for name, w := range r.waits(c.Environment.Name) {
		source := "the built-in default"
		for _, env := range []string{c.Environment.Name, "default"} {
			if path := spec.Join(spec.Join("waits", env), name) + ".timeout"; r.Set(path) {
				source = strings.TrimSuffix(path, ".timeout")
				break
			}
		}
		c.waits[WaitName(name)] = Wait{
			Name: WaitName(name), Timeout: r.scale(c, spec.Join("waits", name)+".timeout", w.Timeout.Duration),
			Polling: w.Polling.Duration, Source: source, Scale: c.TimeoutScale,
		}
	}
	p := r.request(c.Environment.Name)
	c.Request = RequestPolicy{
		AttemptTimeout: r.scale(c, "request.attemptTimeout", p.AttemptTimeout.Duration),
		Retries:        p.Retries, Backoff: p.Backoff.Duration, MaxBackoff: p.MaxBackoff.Duration,
		RetryStatuses: slices.Clone(p.RetryStatuses), ConsecutiveSuccesses: p.ConsecutiveSuccesses,
	}
	c.Debug.PauseTimeout = f.Debug.PauseTimeout.Duration
	c.Debug.ArtifactsDir = absolute(c.Dir, f.Debug.ArtifactsDir)
	c.ReportDir = absolute(c.Dir, f.ReportDir)
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

// scale multiplies d by the timeout scale, reporting a result that is zero or overflows.
func (r *resolver) scale(c *Config, what string, d time.Duration) time.Duration {
	x := float64(d) * c.TimeoutScale
	if x >= 1 && x < math.MaxInt64 {
		return time.Duration(x)
	}
	r.Plain("timeout scale %s makes %s (%s) %s in %s; use a smaller factor",
		formatFloat(c.TimeoutScale), what, human(d), map[bool]string{true: "overflow", false: "zero"}[x >= 1], r.abs)
	return d
}

func absolute(dir, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(dir, path)
}

func positive(f float64) bool { return f > 0 && !math.IsInf(f, 0) }

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
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
