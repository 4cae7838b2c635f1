package config

import (
	"maps"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// checkDeviations validates declarations of known deviations (deviationSets.<set> or
// implementations.<name>.deviations): feature -> the spec's or table row's ID -> {seen, reason}.
func (r *resolver) checkDeviations(base *field.Path, byFeature map[string]map[string]spec.Deviation) {
	for _, feature := range slices.Sorted(maps.Keys(byFeature)) {
		path := spec.Child(base, feature)
		if !slices.Contains(r.features, feature) {
			r.Field(path, "%q is not a feature; allowed: %s", feature, list(r.features))
		}
		for _, text := range slices.Sorted(maps.Keys(byFeature[feature])) {
			d, row := byFeature[feature][text], spec.Child(path, text)
			if strings.TrimSpace(d.Reason) == "" {
				r.Field(row.Child("reason"), "required: say what the implementation does instead, why, and where that was seen")
			}
			if len(d.Seen) == 0 {
				r.Field(
					row.Child("seen"),
					"required: a list of pieces of the row's failure's differences that show what the implementation does instead "+
						"(the value, status or attribute it got, such as \"got with status UNSET\", or the rule it breaks); "+
						"a failure without them is reported as a failure",
				)
			}
			for i, s := range d.Seen {
				if strings.TrimSpace(s) == "" {
					r.Field(row.Child("seen").Index(i), "must not be empty")
				}
			}
		}
	}
}

// checkImplementationDeviations validates implementations.<name>.deviationSets and .deviations:
// the sets exist, and no row is declared twice.
func (r *resolver) checkImplementationDeviations(base *field.Path, impl spec.Implementation) {
	sets := slices.Sorted(maps.Keys(r.file.DeviationSets))
	declared := map[string]string{} // feature + "\x00" + row -> where
	for i, name := range impl.DeviationSets {
		set, ok := r.file.DeviationSets[name]
		if !ok {
			r.Field(base.Child("deviationSets").Index(i), "%q is not a deviation set; allowed: %s (deviationSets)", name, list(sets))
			continue
		}
		for feature, rows := range set {
			for text := range rows {
				key := feature + "\x00" + text
				if where, twice := declared[key]; twice {
					r.Field(
						base.Child("deviationSets").Index(i),
						"deviation set %q declares %s %q, which %s declares too; a row has one declaration",
						name,
						feature,
						text,
						where,
					)
				}
				declared[key] = "deviationSets." + name
			}
		}
	}
	own := base.Child("deviations")
	r.checkDeviations(own, impl.Deviations)
	for _, feature := range slices.Sorted(maps.Keys(impl.Deviations)) {
		for _, text := range slices.Sorted(maps.Keys(impl.Deviations[feature])) {
			if where, twice := declared[feature+"\x00"+text]; twice {
				r.Field(
					spec.Child(spec.Child(own, feature), text),
					"already declared by %s, which this implementation names in deviationSets; a row has one declaration",
					where,
				)
			}
		}
	}
}

// deviations merges the deviation sets an implementation names and its own declarations, each
// with the file it is declared in: the config file for a set, the profile's for its own.
func (r *resolver) deviations(name string, impl spec.Implementation) map[string]map[string]Deviation {
	out := map[string]map[string]Deviation{}
	add := func(source, file string, byFeature map[string]map[string]spec.Deviation) {
		for feature, rows := range byFeature {
			if out[feature] == nil {
				out[feature] = map[string]Deviation{}
			}
			for text, d := range rows {
				out[feature][text] = Deviation{Seen: slices.Clone(d.Seen), Reason: d.Reason, Source: source + "." + feature + " in " + file}
			}
		}
	}
	for _, set := range impl.DeviationSets {
		add("deviationSets."+set, r.abs, r.file.DeviationSets[set])
	}
	add("implementations."+name+".deviations", r.implFile(name), impl.Deviations)
	if len(out) == 0 {
		return nil
	}
	return out
}
