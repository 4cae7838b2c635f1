package tracing

import (
	"fmt"
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/verdict"
	"github.com/tracegate/tracegate/internal/text"
)

// declarable is the body of an It of feature whose checks a profile may declare a known
// deviation of, by the spec's text, as the table-driven features' rows are: It(text,
// in.declarable(feature, body)) runs body through conformOrDeviate.
func (in *Input) declarable(feature string, body func(SpecContext)) func(SpecContext) {
	return func(ctx SpecContext) {
		in.conformOrDeviate(feature, CurrentSpecReport().LeafNodeText, func() { body(ctx) })
	}
}

// conformOrDeviate runs the checks of the spec or table row named name of feature. Where the
// profile declares a known deviation for it (implementations.<name>.deviations, or a deviation
// set it names), the row must fail exactly as declared: a failure that shows every piece of the
// declaration's seen list, and no difference that none of the pieces matches, makes the spec a
// reported deviation (verdict.Deviation, saying what was seen); any other failure (another
// difference besides the declared ones, a crash, another status, a missing span) fails it with
// the declaration, what it does not account for and what was seen; and passing checks fail it:
// the declaration is stale.
func (in Input) conformOrDeviate(feature, name string, checks func()) {
	GinkgoHelper()
	impl := in.Config.Implementation
	d, declared := impl.Deviation(feature, name)
	if !declared {
		checks()
		return
	}
	failure := difference.Intercept(checks)
	if failure == nil {
		Fail(fmt.Sprintf("%s declares %q a known deviation (%s), but %s %s now conforms: remove the declaration",
			d.Source, name, d.Reason, impl.Name, impl.Version))
	}
	if wrong := judge(name, d, *failure); wrong != "" {
		Fail(wrong)
	}
	verdict.End(verdict.Deviation, d.Reason+" (declared in "+d.Source+"); seen: "+strings.TrimSpace(failure.Message))
}

// judge holds the failure of the declared spec or row name to the declaration d: "" when it is
// the declared deviation, else what the row fails with.
func judge(name string, d config.Deviation, f difference.Failure) string {
	missing, extra := account(d, f)
	if len(missing) == 0 && len(extra) == 0 {
		return ""
	}
	return misdeclared(name, d, missing, extra, strings.TrimSpace(f.Message))
}

// account holds the failure to the declaration: missing are the pieces of its seen list the
// failure does not show, extra the differences the failure lists that no piece matches. Both
// compare without colour codes and with runs of white space as one space. A failure whose
// matcher listed no differences is one difference, its whole message.
func account(d config.Deviation, f difference.Failure) (missing []string, extra []difference.Difference) {
	shown := oneSpace(text.StripANSI(f.Message))
	for _, piece := range d.Seen {
		if !strings.Contains(shown, oneSpace(piece)) {
			missing = append(missing, piece)
		}
	}
	for _, diff := range f.Differences {
		if !matchesAny(oneSpace(text.StripANSI(diff.String())), d.Seen) {
			extra = append(extra, diff)
		}
	}
	if !f.Listed {
		extra = nil // the message itself, already said by missing and What was seen
	}
	return missing, extra
}

func matchesAny(diff string, pieces []string) bool {
	for _, piece := range pieces {
		if strings.Contains(diff, oneSpace(piece)) {
			return true
		}
	}
	return false
}

// misdeclared is the failure of a declared row that failed otherwise than declared.
func misdeclared(name string, d config.Deviation, missing []string, extra []difference.Difference, seen string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q failed, but not as %s declares: the declaration says %s (%s)", name, d.Source, quoteAll(d.Seen), d.Reason)
	if len(missing) > 0 {
		fmt.Fprintf(&b, ", and the failure does not show %s", quoteAll(missing))
	}
	if len(extra) > 0 {
		list := make([]string, len(extra))
		for i, e := range extra {
			list[i] = e.String()
		}
		fmt.Fprintf(&b, "; the failure also shows %d difference(s) the declaration does not: %s", len(extra), quoteAll(list))
	}
	fmt.Fprintf(&b, ".\nWhat was seen: %s", seen)
	return b.String()
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
