package tracing

import (
	"fmt"
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/verdict"
	"github.com/tracegate/tracegate/internal/text"
)

// conformOrDeviate runs the checks of the spec or table row named name of feature. Where the
// profile declares a known deviation for it (implementations.<name>.deviations, or a deviation
// set it names), the row must fail as declared: a failure that shows every piece of the
// declaration's seen list makes the spec a reported deviation (verdict.Deviation, saying what
// was seen); any other failure fails it with the
// declaration and what was seen; and passing checks fail it: the declaration is stale.
func (in Input) conformOrDeviate(feature, name string, checks func()) {
	GinkgoHelper()
	impl := in.Config.Implementation
	d, declared := impl.Deviation(feature, name)
	if !declared {
		checks()
		return
	}
	failure := InterceptGomegaFailure(checks)
	if failure == nil {
		Fail(fmt.Sprintf("%s declares %q a known deviation (%s), but %s %s now conforms: remove the declaration",
			d.Source, name, d.Reason, impl.Name, impl.Version))
	}
	seen := strings.TrimSpace(failure.Error())
	if missing := undeclared(d, seen); len(missing) > 0 {
		Fail(fmt.Sprintf("%q failed, but not as %s declares: the declaration says %s (%s), and the failure does not show %s.\nWhat was seen: %s",
			name, d.Source, quoteAll(d.Seen), d.Reason, quoteAll(missing), seen))
	}
	verdict.End(verdict.Deviation, d.Reason+"; seen: "+seen)
}

// undeclared returns the pieces of the declaration's seen list that the failure message does
// not show, comparing without colour codes and with runs of white space as one space.
func undeclared(d config.Deviation, failure string) []string {
	have := oneSpace(text.StripANSI(failure))
	var missing []string
	for _, s := range d.Seen {
		if !strings.Contains(have, oneSpace(s)) {
			missing = append(missing, s)
		}
	}
	return missing
}

var space = regexp.MustCompile(`\s+`)

func oneSpace(s string) string { return strings.TrimSpace(space.ReplaceAllString(s, " ")) }

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, " and ")
}
