package tracegate_test

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/report"
)

// release is a version heading of CHANGELOG.md: "## [0.2.0] - 2026-12-02".
var release = regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$`)

// TestChangelogNamesTheSuiteVersion: CHANGELOG.md opens with an Unreleased section, its releases
// are newest first, each with a date and a link, and the newest is report.SuiteVersion, what
// every conformance report says and the tag to create for it.
func TestChangelogNamesTheSuiteVersion(t *testing.T) {
	data, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	unreleased := strings.Index(text, "\n## [Unreleased]\n")
	found := release.FindAllStringSubmatchIndex(text, -1)
	if unreleased < 0 || len(found) == 0 || unreleased > found[0][0] {
		t.Fatalf("CHANGELOG.md: want a section ## [Unreleased] before the releases (## [X.Y.Z] - YYYY-MM-DD)")
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "## ") && line != "## [Unreleased]" && !release.MatchString(line) {
			t.Errorf("CHANGELOG.md: %q is neither ## [Unreleased] nor ## [X.Y.Z] - YYYY-MM-DD", line)
		}
	}
	var versions []string
	for _, m := range found {
		versions = append(versions, "v"+text[m[2]:m[3]])
	}
	if versions[0] != report.SuiteVersion {
		t.Errorf("CHANGELOG.md's newest release is %s, report.SuiteVersion %s: release both together", versions[0], report.SuiteVersion)
	}
	if !slices.IsSortedFunc(versions, func(a, b string) int { return slices.Compare(numbers(b), numbers(a)) }) {
		t.Errorf("CHANGELOG.md's releases are not newest first: %v", versions)
	}
	for _, v := range append([]string{"Unreleased"}, versions...) {
		if !strings.Contains(text, "\n["+strings.TrimPrefix(v, "v")+"]: https://") {
			t.Errorf("CHANGELOG.md: no link reference for [%s]", strings.TrimPrefix(v, "v"))
		}
	}
}

// numbers are the numbers of "vX.Y.Z".
func numbers(v string) []int {
	var out []int
	for _, s := range strings.Split(strings.TrimPrefix(v, "v"), ".") {
		n, _ := strconv.Atoi(s)
		out = append(out, n)
	}
	return out
}
