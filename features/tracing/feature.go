package tracing

import (
	"fmt"
	"maps"
	"slices"

	. "github.com/onsi/ginkgo/v2"

	"github.com/tracegate/tracegate/framework/report"
)

// Feature is one tracing feature: the unit an implementation profile lists
// (implementations.<name>.features), a label filter selects (Feature: containsAny {Name}) and
// the conformance report scores. A feature is one file of this package that calls register.
type Feature struct {
	// Name is the feature's name in profiles and labels, such as SpanName.
	Name string
	// Title is the Describe text of its specs, such as "Span names".
	Title string
	// SpecIDs are the stable IDs of its Its (ID), in order; its tables' rows carry theirs (IDs).
	SpecIDs []string
	// Specs declares the feature's Its, each with its ID. in is filled, and checked, before each.
	Specs func(in *Input)
	// Section, if set, is the feature's own section of the conformance report, collected from
	// the report entries its specs add.
	Section report.Section
	// Standards are the published standards its specs judge by, at the versions they follow:
	// the report lists them (standards) with the features that judge by each.
	Standards []report.Standard
}

// FeatureLabelPrefix marks the Ginkgo labels that name a feature, e.g. "Feature:SpanName".
const FeatureLabelPrefix = "Feature:"

// FeatureLabel is the label of the feature named name.
func FeatureLabel(name string) string { return FeatureLabelPrefix + name }

var registry = map[string]Feature{}

// register adds a feature to the list the suite walks. Each feature file calls it once, from
// a package-level variable.
func register(f Feature) Feature {
	if _, dup := registry[f.Name]; dup || f.Name == "" || f.Specs == nil {
		panic(fmt.Sprintf("tracing: feature %q registered twice, without a name or without specs", f.Name))
	}
	registry[f.Name] = f
	return f
}

// All returns every feature, sorted by name.
func All() []Feature {
	out := make([]Feature, 0, len(registry))
	for _, name := range Names() {
		out = append(out, registry[name])
	}
	return out
}

// Names returns every feature's name, sorted: what implementations.<name>.features may list.
func Names() []string { return slices.Sorted(maps.Keys(registry)) }

// Catalog is every feature with its label, for the report and the profile check.
func Catalog() []report.Feature {
	var out []report.Feature
	for _, f := range All() {
		out = append(out, report.Feature{
			Name:      f.Name,
			Label:     FeatureLabel(f.Name),
			Section:   f.Section,
			Standards: f.Standards,
			Deviable:  f.DeclarableIDs(),
		})
	}
	return out
}

// DescribeAll declares every feature's specs (Describe), in name order, with input: what a
// suite's wiring calls once, at its top level or before RunSpecs.
func DescribeAll(input func() Input) bool {
	for _, f := range All() {
		f.Describe(input)
	}
	return true
}

// Describe declares the feature's specs in a Describe labelled "tracing" and with its feature
// label, filling in from input, and checking it, before each spec.
func (f Feature) Describe(input func() Input) bool {
	return Describe(f.Title, Label("tracing", FeatureLabel(f.Name)), func() {
		in := &Input{}
		BeforeEach(func() {
			*in = input()
			if id := IDOf(CurrentSpecReport().Labels()); slices.Contains(in.Skip, id) || slices.Contains(in.Skip, baseID(id)) {
				Skip(fmt.Sprintf("skipped by the caller's skip list (conformance.WithSkip or E2E_SKIP): %s", id))
			}
			in.validate(f.Name)
		})
		f.Specs(in)
	})
}

// RowNames returns the entry names of each table, by the table's text: what a mutation
// catalogue may name as the owner of a row (cmd/mutate).
func RowNames() map[string][]string {
	_, vectors := rowKeys(contextVectors, "")
	_, statuses := rowKeys(statusRows(), "")
	_, attributes := rowKeys(semconvRows, "")
	_, passThrough := rowKeys(passThroughRows, "")
	return map[string][]string{
		"a caller's trace context":                   vectors,
		"a caller's trace context over HTTP/2 (h2c)": vectors,
		"the span status":                            statuses,
		"HTTP span attributes by requirement level":  attributes,
		"with tracing off":                           passThrough,
	}
}
