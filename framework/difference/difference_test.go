package difference_test

import (
	"slices"
	"testing"

	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/difference"
)

// listing is a matcher that always fails with message and notes list, as the suite's matchers do.
type listing struct {
	message string
	list    []difference.Difference
}

func (l listing) Match(any) (bool, error)          { return false, nil }
func (l listing) FailureMessage(any) string        { return difference.Note(l.message, l.list...) }
func (l listing) NegatedFailureMessage(any) string { return l.message }

var _ types.GomegaMatcher = listing{}

var (
	literal = difference.Difference{Expected: `with attribute a="1"`, Got: `with attribute a="2"`}
	env     = difference.Difference{Expected: `with attribute e="x"`, Got: "with attribute e absent"}
)

func TestInterceptReturnsTheDifferencesOfTheFailingMatcher(t *testing.T) {
	gomega.RegisterTestingT(t)
	f := difference.Intercept(func() {
		gomega.Expect(1).To(listing{message: "closest span misses two", list: []difference.Difference{literal, env, literal}}, "a description")
	})
	if f == nil || !f.Listed || f.Message != "a description\nclosest span misses two" {
		t.Fatalf("failure %+v", f)
	}
	if !slices.Equal(f.Differences, []difference.Difference{literal, env}) {
		t.Errorf("differences %+v, want each noted one once, in order", f.Differences)
	}
	if got := env.String(); got != `expected with attribute e="x", got with attribute e absent` {
		t.Errorf("a difference reads %q", got)
	}
}

// A note whose message is not in the failure (an earlier assertion that passed in the end, a
// progress report) lists nothing of it.
func TestInterceptIgnoresNotesOfOtherMessages(t *testing.T) {
	gomega.RegisterTestingT(t)
	f := difference.Intercept(func() {
		difference.Note("a message that never failed", env)
		gomega.Expect(502).To(gomega.Equal(200))
	})
	if f == nil || f.Listed || len(f.Differences) != 1 || f.Differences[0].String() != f.Message {
		t.Errorf("an unlisted failure is its own one difference: %+v", f)
	}
}

func TestInterceptOfPassingChecksIsNil(t *testing.T) {
	gomega.RegisterTestingT(t)
	if f := difference.Intercept(func() { gomega.Expect(200).To(gomega.Equal(200)) }); f != nil {
		t.Errorf("checks that pass: %+v", f)
	}
}

// Outside an Intercept, Note keeps nothing: the next Intercept starts empty.
func TestNoteOutsideInterceptKeepsNothing(t *testing.T) {
	gomega.RegisterTestingT(t)
	if got := difference.Note("outside", env); got != "outside" {
		t.Errorf("Note returns %q", got)
	}
	f := difference.Intercept(func() { gomega.Expect(1).To(listing{message: "outside"}) })
	if f == nil || f.Listed {
		t.Errorf("a note made outside an Intercept listed %+v", f)
	}
}

// A failure outside any Intercept is found by its message among the notes since Reset: a
// misdeclared deviation's message quotes it; a note of an earlier spec is forgotten.
func TestOfFindsTheNotesOfTheSpecsFailure(t *testing.T) {
	difference.Note("from the spec before", env)
	difference.Reset()
	difference.Note("closest span misses one\n  a=2\n", literal) // a matcher's message ends in a newline the quote trims
	difference.Note("a poll that later passed", env)
	f := difference.Of("row failed, but not as declared.\nWhat was seen: Timed out\nclosest span misses one\n  a=2")
	if !f.Listed || !slices.Equal(f.Differences, []difference.Difference{literal}) {
		t.Errorf("failure %+v, want the one difference its message shows", f)
	}
	if f := difference.Of("from the spec before"); f.Listed || len(f.Differences) != 1 || f.Differences[0].Shown != "from the spec before" {
		t.Errorf("failure %+v, want the message itself: the earlier spec's note is forgotten", f)
	}
}
