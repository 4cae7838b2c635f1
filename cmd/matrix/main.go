// Command matrix builds one page of every run's conformance report, from the reports only:
// matrix [-out DIR] RUNDIR... reads each RUNDIR (conformance.yaml, junit.xml, the failure and
// deviation bundles; or why.txt for a run that made no report) as one column, and writes
// index.html (self-contained), matrix.md and matrix.json into -out.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/tracegate/tracegate/cmd/internal/matrix"
)

func main() {
	out := flag.String("out", "reports/matrix", "where to write index.html, matrix.md, matrix.json and the evidence")
	flag.Usage = func() {
		fmt.Fprintf(
			flag.CommandLine.Output(),
			"usage: matrix [-out DIR] RUNDIR...\n\nEach RUNDIR is one run's reports, a column of the matrix.\n",
		)
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	m, err := build(flag.Args())
	if err == nil {
		err = m.Write(*out, time.Now())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "matrix:", err)
		os.Exit(1)
	}
	fmt.Printf("matrix: %d columns, %d rows: %s\n", len(m.Columns), len(m.Rows), filepath.Join(*out, matrix.HTMLName))
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// build loads each directory as a column, keyed by its name (made unique).
func build(dirs []string) (*matrix.Matrix, error) {
	var columns []*matrix.Column
	keys := map[string]int{}
	for _, dir := range dirs {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		key := unsafe.ReplaceAllString(filepath.Base(abs), "-")
		if keys[key]++; keys[key] > 1 {
			key = fmt.Sprintf("%s-%d", key, keys[key])
		}
		c, err := matrix.Load(dir, key)
		if err != nil {
			return nil, err
		}
		columns = append(columns, c)
	}
	return matrix.Build(columns), nil
}
