package v1alpha5_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/report/v1alpha5"
)

// exampleDir is the example report a real run produced (make example-report).
const exampleDir = "../../docs/example-report"

// TestExampleReportIsCurrent: the committed example decodes strictly into the types, is of this
// apiVersion, and is byte for byte what the types write, so a field added, removed or renamed
// fails here until make example-report regenerates it; its Markdown is of the same run.
func TestExampleReportIsCurrent(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(exampleDir, "conformance.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := v1alpha5.Decode(data)
	if err != nil {
		t.Fatalf("%s/conformance.yaml: %v; regenerate it with make example-report", exampleDir, err)
	}
	again, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Errorf(
			"%s/conformance.yaml is not what the %s types write (a field added or changed?): regenerate it with make example-report",
			exampleDir,
			v1alpha5.APIVersion,
		)
	}
	if c.Run.Outcome != v1alpha5.RunPassed || len(c.Features) == 0 || len(c.Standards) == 0 || len(c.ProfileFeatures.Claimed) == 0 {
		t.Errorf(
			"the example is not of a whole run that passed: outcome %s, %d features, standards %v, claimed %v",
			c.Run.Outcome,
			len(c.Features),
			c.Standards,
			c.ProfileFeatures.Claimed,
		)
	}
	md, err := os.ReadFile(filepath.Join(exampleDir, "conformance.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{c.Date, c.Verdict.Reason}
	for _, f := range c.Features {
		want = append(want, fmt.Sprintf("| %s | %s | %d |", f.Name, f.Result, f.Statistics.Passed))
	}
	for _, w := range want {
		if !strings.Contains(string(md), w) {
			t.Errorf("%s/conformance.md lacks %q: not the YAML's run; regenerate both with make example-report", exampleDir, w)
		}
	}
	for _, path := range []string{"../../docs/report.md", "../../docs/from-your-repository.md"} {
		if doc, err := os.ReadFile(path); err != nil || !strings.Contains(string(doc), "`"+v1alpha5.APIVersion+"`") {
			t.Errorf("%s does not name the report's apiVersion `%s` (%v)", path, v1alpha5.APIVersion, err)
		}
	}
	for _, dir := range []string{"/work/", "/home/", "/root/", "/tmp/"} {
		if bytes.Contains(data, []byte(dir)) || bytes.Contains(md, []byte(dir)) {
			t.Errorf("the example report holds a path of the machine that ran it (%s...): make example-report takes the checkout's out", dir)
		}
	}
}
