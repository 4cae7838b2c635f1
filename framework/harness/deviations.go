package harness

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/report"
)

// CheckDeviations refuses a declared known deviation that no spec would ever judge: a spec or
// table row the feature does not have, or one that does not judge its failure against a
// declaration. Such a declaration would be ignored, and a reader would trust it.
func CheckDeviations(cfg *config.Config, features []report.Feature) error {
	impl := cfg.Implementation
	var errs []error
	for _, feature := range slices.Sorted(maps.Keys(impl.Deviations)) {
		i := slices.IndexFunc(features, func(f report.Feature) bool { return f.Name == feature })
		if i < 0 {
			continue // the config already refuses a feature it does not know
		}
		allowed := features[i].Deviable
		for _, row := range slices.Sorted(maps.Keys(impl.Deviations[feature])) {
			if slices.Contains(allowed, row) {
				continue
			}
			where := impl.Deviations[feature][row].Source
			if len(allowed) == 0 {
				errs = append(errs, fmt.Errorf("%s: %q: feature %s has no spec that can be a known deviation: remove the declaration", where, row, feature))
				continue
			}
			errs = append(errs, fmt.Errorf("%s: %q is not a spec or row of %s that can be a known deviation; allowed: %s", where, row, feature, quoted(allowed)))
		}
	}
	return errors.Join(errs...)
}

func quoted(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
