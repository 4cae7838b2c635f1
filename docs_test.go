package tracegate_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/report"
)

// readmeLines is how long README.md may grow: what tracegate is, the two commands, bring your
// gateway and where to read on. Everything else goes to docs/.
const readmeLines = 250

// markdown returns README.md, CHANGELOG.md, BENCHMARKS.md and every page under docs/, by path.
func markdown(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	paths := []string{"README.md", "CHANGELOG.md", "BENCHMARKS.md"}
	err := filepath.WalkDir("docs", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out[path] = string(data)
	}
	return out
}

func TestREADMEIsShort(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n > readmeLines {
		t.Errorf("README.md has %d lines, more than %d: move the detail to a page under docs/", n, readmeLines)
	}
}

// Every go get of tracegate a doc shows fetches the version every report says it is.
func TestDocsGetTheSuiteVersion(t *testing.T) {
	for path, text := range markdown(t) {
		if path == "CHANGELOG.md" {
			continue
		}
		for _, m := range regexp.MustCompile(`github\.com/tracegate/tracegate@(v[0-9.]+)`).FindAllStringSubmatch(text, -1) {
			if m[1] != report.SuiteVersion {
				t.Errorf("%s says %s; report.SuiteVersion is %s", path, m[0], report.SuiteVersion)
			}
		}
	}
}

// Every relative link of the docs (outside code) names a file or folder of the repository.
func TestDocsLinksResolve(t *testing.T) {
	code := regexp.MustCompile("(?s)```.*?```|`[^`\n]*`")
	link := regexp.MustCompile(`\]\(([^)#\s]+)(#[^)\s]*)?\)`)
	for path, text := range markdown(t) {
		for _, m := range link.FindAllStringSubmatch(code.ReplaceAllString(text, ""), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(path), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", path, target)
			}
		}
	}
}
