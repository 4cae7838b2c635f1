package config

import (
	"maps"
	"slices"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// checkFaults validates faults.<name> and an environment's reference to one.
func (r *resolver) checkFaults() {
	for _, name := range slices.Sorted(maps.Keys(r.file.Faults)) {
		p := r.file.Faults[name]
		for path, f := range map[string]*spec.FaultPath{"client": p.Client, "export": p.Export} {
			if f == nil {
				continue
			}
			base := spec.Child(field.NewPath("faults"), name).Child(path)
			for key, v := range map[string]float64{"latencyProbability": f.LatencyProbability, "resetFraction": f.ResetFraction} {
				if v < 0 || v > 1 {
					r.Field(base.Child(key), "%s is not allowed; allowed: a fraction from 0 to 1", formatFloat(v))
				}
			}
			if f.LatencyMax.Duration < f.LatencyMin.Duration {
				r.Field(base.Child("latencyMax"), "must be >= latencyMin (%s)", human(f.LatencyMin.Duration))
			}
			if (f.BlackholeEvery.Duration > 0) != (f.BlackholeFor.Duration > 0) {
				r.Field(base.Child("blackholeFor"), "blackholeEvery and blackholeFor must be set together")
			} else if f.BlackholeFor.Duration >= f.BlackholeEvery.Duration && f.BlackholeEvery.Duration > 0 {
				r.Field(
					base.Child("blackholeFor"),
					"must be shorter than blackholeEvery (%s), or the network never comes back",
					human(f.BlackholeEvery.Duration),
				)
			}
		}
	}
}

// checkEnvironmentFaults validates environments.<name>.faults.
func (r *resolver) checkEnvironmentFaults(base *field.Path, faults string) {
	if faults == "" {
		return
	}
	if _, ok := r.file.Faults[faults]; !ok {
		r.Field(base.Child("faults"), "%q is not a fault profile; allowed: %s", faults, list(slices.Sorted(maps.Keys(r.file.Faults))))
	}
}
