package tracegate_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
			file := filepath.Join(filepath.Dir(path), target)
			if _, err := os.Stat(file); err != nil {
				t.Errorf("%s links to %s, which does not exist", path, target)
				continue
			}
			if anchor := strings.TrimPrefix(m[2], "#"); anchor != "" && !slices.Contains(anchors(t, file), anchor) {
				t.Errorf("%s links to %s%s: %s has no heading with that anchor", path, target, m[2], target)
			}
		}
	}
}

// The README's first screen gives exactly two commands after cloning, make e2e and make test,
// and says what they run: make e2e the environment ginkgo.yaml defaults to, make test each
// target its Makefile rule runs (on its line or in the text after the block). A new target or
// default fails here until the README says it.
func TestREADMESaysWhatTheTwoCommandsRun(t *testing.T) {
	read := func(path string) string {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	readme, makefile, settings := read("README.md"), read("Makefile"), read("ginkgo.yaml")
	block := regexp.MustCompile("(?s)```sh\ngit clone [^\n]*\n(.*?)```\n(.*?)\n\n").FindStringSubmatch(readme)
	if block == nil {
		t.Fatal("README.md has no sh block starting with git clone, followed by a paragraph")
	}
	var commands []string
	for _, l := range strings.Split(strings.TrimSpace(block[1]), "\n") {
		commands = append(commands, strings.Join(strings.Fields(strings.SplitN(l, "#", 2)[0]), " "))
	}
	if !slices.Equal(commands, []string{"make e2e", "make test"}) {
		t.Errorf("README.md's first block gives %q after cloning, want exactly make e2e and make test", commands)
	}
	line := func(command string) string {
		m := regexp.MustCompile(`(?m)^` + command + ` +#(.*)$`).FindStringSubmatch(block[1])
		if m == nil {
			t.Fatalf("README.md has no line %q followed by a comment saying what it runs", command)
		}
		return m[1]
	}
	defaults := map[string]string{"envoy": "real Envoy", "local": "Caddy"}
	env := regexp.MustCompile(`(?m)^environment: *(\S+)`).FindStringSubmatch(settings)
	if env == nil {
		t.Fatal("ginkgo.yaml names no default environment")
	}
	if e2e := line("make e2e"); !strings.Contains(e2e, "default") || defaults[env[1]] == "" || !strings.Contains(e2e, defaults[env[1]]) {
		t.Errorf("README.md's make e2e line %q does not name the default environment %s (%q)", e2e, env[1], defaults[env[1]])
	}
	runs := map[string]string{
		"unit": "unit tests", "e2e": "on Envoy", "e2e-caddy": "Caddy", "e2e-kwok": "Envoy Gateway",
		"e2e-kwok-contour": "Contour", "e2e-verdicts": "report checks", "e2e-implementer": "implementer", "e2e-matrix": "matrix",
	}
	rule := regexp.MustCompile(`(?m)^test:.*\n(?:\t.*\n)*?\t\$\(MAKE\) (.*)$`).FindStringSubmatch(makefile)
	if rule == nil {
		t.Fatal("Makefile's test rule has no $(MAKE) line")
	}
	targets := regexp.MustCompile(`\b(?:unit|e2e[a-z0-9-]*)\b`).FindAllString(rule[1], -1)
	if len(targets) < 5 {
		t.Fatalf("found only %q in make test's rule %q", targets, rule[1])
	}
	said := line("make test") + " " + strings.Join(strings.Fields(block[2]), " ")
	for _, target := range targets {
		if runs[target] == "" || !strings.Contains(said, runs[target]) {
			t.Errorf("README.md's make test line and the text after it (%q) do not say that it runs make %s", said, target)
		}
	}
}

// anchors are the anchors GitHub gives the headings of a Markdown file: lower case, spaces as
// hyphens, other punctuation dropped.
func anchors(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^#+ +(.*)$`).FindAllStringSubmatch(string(data), -1) {
		slug := strings.Map(func(r rune) rune {
			switch {
			case r == ' ':
				return '-'
			case r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z':
				return r
			}
			return -1
		}, strings.ToLower(m[1]))
		out = append(out, slug)
	}
	return out
}
