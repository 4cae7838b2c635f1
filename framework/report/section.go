package report

import (
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// Section is a feature's own part of the report beside its specs' results, such as the
// semantic-conventions table: the feature declares it (Feature.Section), and the report collects,
// stores and renders it without knowing its type.
type Section interface {
	// Key is the section's key in the YAML report.
	Key() string
	// Collect builds the section from the run's specs, from the report entries they added; nil
	// when no spec added any.
	Collect(types.SpecReports) Content
}

// Content is a collected section: written into the YAML report as it is, and rendering itself
// into Markdown and into a line on the terminal.
type Content interface {
	// Markdown appends the section to the Markdown report.
	Markdown(*strings.Builder)
	// Summary is one line for the terminal, such as how many spans were scored.
	Summary() string
}

// sections collects the section of every feature that declares one.
func sections(specs types.SpecReports, features []Feature) map[string]any {
	var out map[string]any
	for _, f := range features {
		if f.Section == nil {
			continue
		}
		if content := f.Section.Collect(specs); content != nil {
			if out == nil {
				out = map[string]any{}
			}
			out[f.Section.Key()] = content
		}
	}
	return out
}

// contents are the sections that render themselves, in the order of their keys: those of a
// report read back from YAML do not.
func contents(c Conformance) []Content {
	var out []Content
	for _, key := range sortedKeys(c.Sections) {
		if content, ok := c.Sections[key].(Content); ok {
			out = append(out, content)
		}
	}
	return out
}
