package tracing

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/verdict"
	"github.com/tracegate/tracegate/internal/text"
)

// declarable is the body of an It of feature whose checks a profile may declare a known
// deviation of, by the spec's ID, as the table-driven features' rows are: It(text, ID(id),
// in.declarable(feature, body)) runs body through conformOrDeviate.
func (in *Input) declarable(feature string, body func(SpecContext)) func(SpecContext) {
	return func(ctx SpecContext) {
		in.conformOrDeviate(feature, IDOf(CurrentSpecReport().Labels()), func() { body(ctx) })
	}
}

// conformOrDeviate runs the checks of the spec or table row of feature whose ID is id. A failure
// whose differences all break rules below MUST (difference.Difference.Level: SHOULD, MAY, what
// the W3C harness expects) makes the spec advisory (verdict.Advisory, listing the rules broken),
// whatever the profile declares: there is nothing to declare, and a declaration of such a row
// fails it as stale. Where the profile declares a known deviation for it
// (implementations.<name>.deviations, or a deviation set it names), the row must fail exactly
// as declared: a failure that shows every piece of the declaration's seen list, and no
// difference that none of the pieces matches, makes the spec a reported deviation
// (verdict.Deviation, saying what was seen); any other failure (another difference besides the
// declared ones, a crash, another status, a missing span) fails it with the declaration, what
// it does not account for and what was seen; and passing checks fail it: the declaration is
// stale. Without a declaration, a failure is the spec's failure.
func (in Input) conformOrDeviate(feature, id string, checks func()) {
	GinkgoHelper()
	failure := difference.Intercept(checks)
	impl := in.Config.Implementation
	d, declared := impl.Deviation(feature, id)
	name := fmt.Sprintf("%s (%s)", CurrentSpecReport().LeafNodeText, id)
	switch {
	case failure == nil && !declared:
		return
	case failure == nil:
		Fail(fmt.Sprintf("%s declares %q a known deviation (%s), but %s %s now conforms: remove the declaration",
			d.Source, name, d.Reason, impl.Name, impl.Version))
	case failure.Listed && advisory(failure.Differences) && declared:
		Fail(fmt.Sprintf("%s declares %q a known deviation (%s), but %s %s breaks only rules below MUST, which makes the row advisory, "+
			"never a deviation: remove the declaration.\nWhat was seen: %s",
			d.Source, name, d.Reason, impl.Name, impl.Version, strings.TrimSpace(failure.Message)))
	case failure.Listed && advisory(failure.Differences):
		verdict.End(verdict.Advisory, advisoryReason(*failure))
	case !declared:
		Fail(failure.Message)
	}
	if wrong := judge(name, d, *failure); wrong != "" {
		Fail(wrong)
	}
	verdict.End(verdict.Deviation, d.Reason+" (declared in "+d.Source+"); seen: "+strings.TrimSpace(failure.Message))
}

// advisoryReason lists the rules below MUST a failure breaks, each with its level and what was
// seen, on its first line, then the whole failure.
func advisoryReason(f difference.Failure) string {
	rules := make([]string, len(f.Differences))
	for i, d := range f.Differences {
		rules[i] = fmt.Sprintf("%s: %s (seen: %s)", d.Level, d.Expected, d.Got)
	}
	return "broke only rules below MUST: " + strings.Join(rules, "; ") + "\n" + strings.TrimSpace(f.Message)
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

// account holds the failure to the declaration: missing are the pieces of its seen list that no
// difference of the failure shows, extra the differences that no piece matches. A piece is
// matched against the typed differences (difference.Difference), never the whole message, whose
// span tree and request could show it by chance. Both compare without colour codes and with runs
// of white space as one space. A failure whose matcher listed no differences is one difference,
// its whole message.
func account(d config.Deviation, f difference.Failure) (missing []string, extra []difference.Difference) {
	diffs := make([]string, len(f.Differences))
	for i, diff := range f.Differences {
		diffs[i] = oneSpace(text.StripANSI(diff.String()))
	}
	for _, piece := range d.Seen {
		if !slices.ContainsFunc(diffs, func(diff string) bool { return strings.Contains(diff, oneSpace(piece)) }) {
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
