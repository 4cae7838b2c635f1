package config

import (
	"maps"
	"slices"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// retryStatuses are the values request.<env>.retryStatuses accepts.
var retryStatuses = []int{429, 502, 503, 504}

// overlayKeys checks the top keys of waits or request: "default" or an environment. It returns
// the valid ones, "default" first.
func (r *resolver) overlayKeys(section string, keys []string, envs []string) []string {
	allowed := append([]string{"default"}, envs...)
	var valid []string
	for _, k := range keys {
		if slices.Contains(allowed, k) {
			valid = append(valid, k)
		} else {
			r.Field(spec.Child(field.NewPath(section), k), "%q is not an environment; allowed: %s", k, list(allowed))
		}
	}
	slices.SortStableFunc(valid, func(a, b string) int { return boolInt(b == "default") - boolInt(a == "default") })
	return valid
}

// checkWaits validates waits.default and waits.<env>, each wait as its environment resolves it.
// A wait name must be one the suite uses (KnownWaits): a misspelt one would otherwise load
// silently and leave the wait it meant at its default.
func (r *resolver) checkWaits(envs []string) {
	defaults, known := r.file.Waits["default"], KnownWaits()
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
			w, base := resolved[name], spec.Child(spec.Child(field.NewPath("waits"), env), name)
			if !slices.Contains(known, WaitName(name)) {
				r.Field(base, "%q is not a wait the suite uses; allowed: %s", name, list(known))
				continue
			}
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

// checkRequests validates request.default and request.<env>, each as its environment resolves it.
func (r *resolver) checkRequests(envs []string) {
	for _, env := range r.overlayKeys("request", slices.Sorted(maps.Keys(r.file.Request)), envs) {
		p, base, inherited := r.request(env), spec.Child(field.NewPath("request"), env), env != "default"
		if p.AttemptTimeout.Duration <= 0 {
			r.blame(base, inherited, "must be > 0; %s", []string{"attemptTimeout"}, spec.DurationForm)
		}
		if p.Backoff.Duration <= 0 {
			r.blame(
				base,
				inherited,
				"must be > 0: the wait before the first retry, doubling up to maxBackoff; %s",
				[]string{"backoff"},
				spec.DurationForm,
			)
		}
		if p.Retries < 0 {
			r.blame(base, inherited, "%d is not allowed; must be >= 0", []string{"retries"}, p.Retries)
		}
		if p.MaxBackoff.Duration < p.Backoff.Duration {
			r.blame(base, inherited, "maxBackoff %s is shorter than backoff %s; maxBackoff must be >= backoff",
				[]string{"maxBackoff", "backoff"}, human(p.MaxBackoff.Duration), human(p.Backoff.Duration))
		}
		if !inherited || r.Set(base.Child("retryStatuses")) {
			for i, s := range p.RetryStatuses {
				if !slices.Contains(retryStatuses, s) {
					r.Field(base.Child("retryStatuses").Index(i), "%d is not allowed; allowed: %s", s, list(retryStatuses))
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
func (r *resolver) blame(base *field.Path, inherited bool, format string, fields []string, args ...any) {
	for _, f := range fields {
		if r.Set(base.Child(f)) {
			r.Field(base.Child(f), format, args...)
			return
		}
	}
	if !inherited {
		r.Field(base.Child(fields[0]), format, args...)
	}
}
