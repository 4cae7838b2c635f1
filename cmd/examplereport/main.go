// Command examplereport copies a real run's report into docs/example-report (make
// example-report): the YAML decoded strictly into the schema's types and written back by them,
// the Markdown as it is, both without the paths of the machine that ran it.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/report/v1alpha5"
)

// The files a run writes and the example keeps (framework/report.YAMLName, MarkdownName).
const (
	yamlName     = "conformance.yaml"
	markdownName = "conformance.md"
)

func main() {
	from := flag.String("from", "", "the report directory of a finished run (make e2e REPORTS=...)")
	to := flag.String("to", "docs/example-report", "where the example goes")
	root := flag.String("root", ".", "the checkout the run ran in: its absolute path is taken out of the reports")
	flag.Parse()
	if err := copyReport(*from, *to, *root); err != nil {
		fmt.Fprintln(os.Stderr, "examplereport:", err)
		os.Exit(1)
	}
}

// copyReport writes the run's reports in from into to, with root's absolute path taken out.
func copyReport(from, to, root string) error {
	if from == "" {
		return fmt.Errorf("-from is required: the report directory of a finished run")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	local := strings.NewReplacer(abs+string(filepath.Separator), "", abs, ".")
	data, err := os.ReadFile(filepath.Join(from, yamlName))
	if err != nil {
		return err
	}
	c, err := v1alpha5.Decode([]byte(local.Replace(string(data))))
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(from, yamlName), err)
	}
	if c.Run.Outcome != v1alpha5.RunPassed {
		return fmt.Errorf(
			"%s: the run ended %s (%s): an example comes from a run that passed",
			filepath.Join(from, yamlName),
			c.Run.Outcome,
			c.Run.Reason,
		)
	}
	out, err := yaml.Marshal(c)
	if err != nil {
		return err
	}
	md, err := os.ReadFile(filepath.Join(from, markdownName))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(to, yamlName), out, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(to, markdownName), []byte(local.Replace(string(md))), 0o644)
}
