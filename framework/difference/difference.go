// Package difference is what a failed check expected and got instead, as typed data beside its
// failure message: a matcher whose failure lists several differences notes them (Note), and
// Intercept returns them with the failure, so that a declared known deviation can be held to
// account for every difference a failure shows (features/tracing), not only for a piece of its
// text.
package difference

import (
	"strings"
	"sync"

	"github.com/onsi/gomega"
)

// Difference is one thing a check expected and what it got instead.
type Difference struct {
	// Expected is what the check required, such as `with status ERROR`.
	Expected string `json:"expected,omitempty"`
	// Got is what it found instead, such as `with status UNSET`.
	Got string `json:"got,omitempty"`
	// Shown is the difference as the failure message shows it, when not "expected ..., got ...".
	Shown string `json:"shown,omitempty"`
	// Level is how strongly the rule the check holds to asks for it, as the check states it
	// (the W3C trace-context rows: MUST, SHOULD, MAY, "the W3C harness expects"). Empty is MUST:
	// a check that states no level is a requirement.
	Level string `json:"level,omitempty"`
}

// EntryName names the Ginkgo report entry of a failed spec whose value is its differences
// ([]Difference, as Of finds them), so that a tool reading the report (cmd/mutate) can hold a
// failure to the difference it must show.
const EntryName = "tracegate-differences"

// String is the difference as the failure message shows it: what a declaration's pieces are
// compared with.
func (d Difference) String() string {
	if d.Shown != "" {
		return d.Shown
	}
	return "expected " + d.Expected + ", got " + d.Got
}

// Failure is the first failed Gomega assertion of an Intercept.
type Failure struct {
	// Message is the assertion's failure message, as Gomega made it.
	Message string
	// Listed is true when the matchers behind the message noted its differences (Note).
	Listed bool
	// Differences are the noted differences, in the order noted, or, when none were (Listed
	// false), the message itself as one difference: an assertion with one thing to say, such as
	// a status code.
	Differences []Difference
}

// note is one failure message a matcher made and the differences it lists.
type note struct {
	message string
	list    []Difference
}

var (
	mu sync.Mutex
	// notes collects what matchers note while an Intercept runs; nil otherwise.
	notes *[]note
	// spec is every note since Reset, inside an Intercept or not, the newest last.
	spec []note
)

// keep is how many notes spec holds at most: a spec's failure is among its last ones.
const keep = 256

// Note records that message lists the differences, and returns message: a matcher's
// FailureMessage returns Note(message, its differences...). An Intercept running collects it,
// and so does the spec's record that Of reads.
func Note(message string, list ...Difference) string {
	mu.Lock()
	defer mu.Unlock()
	if message == "" {
		return message
	}
	n := note{message: message, list: list}
	if notes != nil {
		*notes = append(*notes, n)
	}
	if spec = append(spec, n); len(spec) > keep {
		spec = spec[len(spec)-keep:]
	}
	return message
}

// Reset forgets the notes of earlier specs: the harness calls it as each spec starts (a Ginkgo
// process runs one spec at a time).
func Reset() {
	mu.Lock()
	defer mu.Unlock()
	spec = nil
}

// Of is the failure of a spec whose failure message is message, with the differences noted since
// Reset whose message it contains (a misdeclared deviation's message quotes the failure it saw);
// without any, the message itself is its one difference.
func Of(message string) Failure {
	mu.Lock()
	defer mu.Unlock()
	return *of(message, spec)
}

// Intercept runs checks as gomega.InterceptGomegaFailure does (stopping at the first failed
// assertion) and returns that failure with its differences: those noted with a message the
// failure contains (Eventually's adds a preamble, a description and the matcher's message),
// each once. It returns nil when every assertion passed.
func Intercept(checks func()) *Failure {
	var noted []note
	mu.Lock()
	outer := notes
	notes = &noted
	mu.Unlock()
	defer func() { mu.Lock(); notes = outer; mu.Unlock() }()

	err := gomega.InterceptGomegaFailure(checks)
	if err == nil {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	return of(err.Error(), noted)
}

// of is the failure of message, with the differences of the notes whose message it contains.
func of(message string, noted []note) *Failure {
	f := &Failure{Message: message}
	seen := map[Difference]bool{}
	for _, n := range noted {
		if len(n.list) == 0 || !strings.Contains(message, strings.TrimSpace(n.message)) {
			continue
		}
		f.Listed = true
		for _, d := range n.list {
			if !seen[d] {
				seen[d] = true
				f.Differences = append(f.Differences, d)
			}
		}
	}
	if !f.Listed {
		f.Differences = []Difference{{Shown: message}}
	}
	return f
}
