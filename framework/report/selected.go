package report

import (
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// selection tells the specs the run's label filter and focus chose from those they left out.
// Ginkgo reports both as skipped without a message when a run ends early (an interrupt, the
// suite timeout, a failed setup), so the report applies the run's own filters again, as Ginkgo
// applies them (label filter on the suite's and the spec's labels, focus and skip regular
// expressions on the suite description and the spec's full text, focus and skip files).
type selection struct {
	labels      func([]string) bool
	focus, skip *regexp.Regexp
	focusFiles  types.FileFilters
	skipFiles   types.FileFilters
	suiteLabels []string
	description string
	// unknown is set when the filters cannot be applied again (programmatic focus, a filter
	// that does not parse): every spec without a message then counts as not selected.
	unknown bool
}

func newSelection(r types.Report) selection {
	c := r.SuiteConfig
	s := selection{suiteLabels: r.SuiteLabels, description: r.SuiteDescription, unknown: r.SuiteHasProgrammaticFocus}
	var err error
	if c.LabelFilter != "" {
		if s.labels, err = types.ParseLabelFilter(c.LabelFilter); err != nil {
			s.unknown = true
		}
	}
	compile := func(exprs []string) *regexp.Regexp {
		if len(exprs) == 0 {
			return nil
		}
		re, err := regexp.Compile(strings.Join(exprs, "|"))
		if err != nil {
			s.unknown = true
		}
		return re
	}
	s.focus, s.skip = compile(c.FocusStrings), compile(c.SkipStrings)
	if len(c.FocusFiles) > 0 {
		if s.focusFiles, err = types.ParseFileFilters(c.FocusFiles); err != nil {
			s.unknown = true
		}
	}
	if len(c.SkipFiles) > 0 {
		if s.skipFiles, err = types.ParseFileFilters(c.SkipFiles); err != nil {
			s.unknown = true
		}
	}
	return s
}

// selected reports whether the run's filters chose spec to run.
func (s selection) selected(spec types.SpecReport) bool {
	if s.unknown {
		return false
	}
	if s.labels != nil && !s.labels(append(append([]string{}, s.suiteLabels...), spec.Labels()...)) {
		return false
	}
	locations := append(append([]types.CodeLocation{}, spec.ContainerHierarchyLocations...), spec.LeafNodeLocation)
	if len(s.focusFiles) > 0 && !s.focusFiles.Matches(locations) {
		return false
	}
	if len(s.skipFiles) > 0 && s.skipFiles.Matches(locations) {
		return false
	}
	text := s.description + " " + spec.FullText()
	if s.focus != nil && !s.focus.MatchString(text) {
		return false
	}
	return s.skip == nil || !s.skip.MatchString(text)
}
