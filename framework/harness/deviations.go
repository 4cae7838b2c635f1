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

// CheckDeviations refuses a declared known deviation that names no spec or row of its feature by
// its ID (report.Feature.Deviable): such a declaration would never be judged, and a reader would
// trust it.
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
			if len(allowed) == 0 {
				continue
			}
			where := impl.Deviations[feature][row].Source
			errs = append(errs, fmt.Errorf(
				"%s: %q is not the ID of a spec or row of %s (a declaration names the ID, not the sentence); allowed: %s",
				where,
				row,
				feature,
				quoted(allowed),
			))
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
