package conventions

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/spans"
)

// MeetRequirements succeeds when a Card has no problem: every attribute the conventions require
// for the exchange is set, and every attribute set has its type and the value the request
// implies. Its failure lists each problem with what was expected and what the span had, and
// notes them as the failure's differences (difference.Note).
func MeetRequirements() types.GomegaMatcher { return requirementsMatcher{} }

type requirementsMatcher struct{}

func (requirementsMatcher) Match(actual any) (bool, error) {
	c, ok := actual.(Card)
	if !ok {
		return false, fmt.Errorf("MeetRequirements expects a conventions.Card, got %T", actual)
	}
	return len(c.Problems()) == 0, nil
}

func (requirementsMatcher) FailureMessage(actual any) string {
	c := actual.(Card)
	var b strings.Builder
	// The problems go on the first line: the report's summaries show only that one.
	problems := c.Differences()
	fmt.Fprintf(&b, "Expected the %s span to carry the HTTP attributes semantic conventions %s require for %s (attributeNaming %s), "+
		"but got: %s\n",
		c.Table.Kind, Version, c.Exchange, c.Naming, strings.Join(c.Problems(), "; "))
	b.WriteString("The span: " + c.Span.String() + "\n")
	for _, k := range slices.Sorted(maps.Keys(c.Span.Attributes)) {
		fmt.Fprintf(&b, "    %s=%s\n", k, spans.FormatValue(c.Span.Attributes[k]))
	}
	return difference.Note(b.String(), problems...)
}

func (requirementsMatcher) NegatedFailureMessage(actual any) string {
	return fmt.Sprintf("Expected the %s span not to meet the conventions' requirements, but it does", actual.(Card).Table.Kind)
}
