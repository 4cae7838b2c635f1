package matrix

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
)

// junitSuites is the part of Ginkgo's JUnit report the matrix reads: each spec's properties,
// among them the report entry "artifacts" that names its bundle directory.
type junitSuites struct {
	Suites []struct {
		Cases []struct {
			Name       string `xml:"name,attr"`
			Properties []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// labels is the " [tracing, Feature:X]" Ginkgo appends to a test case's name.
var labels = regexp.MustCompile(`\s\[[^\[\]]*\]$`)

// readBundles maps each spec's full text to the bundle directory its run wrote for it (a failure's
// or a deviation's); a run without junit.xml has none.
func readBundles(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var j junitSuites
	if err := xml.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]string{}
	for _, s := range j.Suites {
		for _, c := range s.Cases {
			name, ok := strings.CutPrefix(c.Name, "[It] ")
			if !ok {
				continue
			}
			name = labels.ReplaceAllString(name, "")
			for _, p := range c.Properties {
				if p.Name != "artifacts" {
					continue
				}
				dir := p.Value
				var quoted string
				if json.Unmarshal([]byte(dir), &quoted) == nil {
					dir = quoted
				}
				out[name] = dir
			}
		}
	}
	return out, nil
}
