// Package matrix builds one table of every run's conformance report: a row per feature, spec and
// table row, a column per run (gateway, version, path), each cell its result in words and colour
// and, unless it passed, its evidence; written as a self-contained HTML page, Markdown and JSON.
package matrix

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Matrix is the table: its columns and its rows, features first, each followed by its specs.
type Matrix struct {
	Columns []*Column `json:"columns"`
	Rows    []Row     `json:"rows"`
}

// Row is a feature, or one of its specs or table rows.
type Row struct {
	Key     string `json:"key"`
	Feature string `json:"feature"`
	Spec    string `json:"spec,omitempty"` // "" on the feature's own row
}

// Build makes the matrix of the columns, in their order.
func Build(columns []*Column) *Matrix {
	m := &Matrix{Columns: columns}
	specs := map[string][]rowRef{}
	seen := map[string]bool{}
	for _, c := range columns {
		for f := range c.featureResults {
			if !seen[f] {
				seen[f] = true
				specs[f] = specs[f]
			}
		}
		for _, r := range c.order {
			if !seen[r.key] {
				seen[r.key] = true
				specs[r.feature] = append(specs[r.feature], r)
			}
		}
	}
	features := make([]string, 0, len(specs))
	for f := range specs {
		features = append(features, f)
	}
	slices.Sort(features)
	for _, f := range features {
		m.Rows = append(m.Rows, Row{Key: f, Feature: f})
		list := specs[f]
		slices.SortStableFunc(list, func(a, b rowRef) int { return strings.Compare(a.spec, b.spec) })
		for _, r := range list {
			m.Rows = append(m.Rows, Row{Key: r.key, Feature: f, Spec: r.spec})
		}
	}
	return m
}

// Cell is the column's result for the row: a feature's result on its own row, a spec's on its.
func (m *Matrix) Cell(c *Column, r Row) Cell {
	if c.Outcome == "no-report" {
		return Cell{Result: "no-report", Reason: c.Reason}
	}
	if r.Spec == "" {
		if res, ok := c.featureResults[r.Feature]; ok {
			return Cell{Result: res}
		}
		return Cell{Result: "absent"}
	}
	if cell, ok := c.cells[r.Key]; ok {
		return cell
	}
	return Cell{Result: "absent", Reason: "this run's report has no such spec (an older or newer suite)"}
}

// CopyEvidence copies each cell's bundle into out/evidence/<column>/ (a bundle already under out
// stays where it is) and lists its files relative to out, for the page's links.
func (m *Matrix) CopyEvidence(out string) error {
	for _, c := range m.Columns {
		for k, cell := range c.cells {
			if cell.Bundle == "" || LookOf(cell.Result).Pass {
				continue
			}
			files, err := copyBundle(out, c, cell.Bundle)
			if err != nil {
				return err
			}
			cell.Files = files
			c.cells[k] = cell
		}
	}
	return nil
}

// copyBundle finds a bundle written by the column's run (where the run wrote it, or under the
// column's directory, as a published report carries it) and copies its files under out.
func copyBundle(out string, c *Column, bundle string) ([]string, error) {
	src := ""
	for _, dir := range []string{
		bundle,
		filepath.Join(c.Dir, "evidence", filepath.Base(bundle)),
		filepath.Join(c.Dir, "artifacts", filepath.Base(bundle)),
		filepath.Join(c.Dir, filepath.Base(bundle)),
	} {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			src = dir
			break
		}
	}
	if src == "" {
		return nil, nil // the bundle is gone: the cell shows the reason alone
	}
	absOut, _ := filepath.Abs(out)
	absSrc, _ := filepath.Abs(src)
	dst := absSrc
	if rel, err := filepath.Rel(absOut, absSrc); err != nil || strings.HasPrefix(rel, "..") {
		dst = filepath.Join(absOut, "evidence", c.Key, filepath.Base(src))
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if dst != absSrc {
			if err := copyFile(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())); err != nil {
				return nil, err
			}
		}
		rel, _ := filepath.Rel(absOut, filepath.Join(dst, e.Name()))
		files = append(files, filepath.ToSlash(rel))
	}
	return files, nil
}

func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	o, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(o, in); err != nil {
		o.Close()
		return fmt.Errorf("copying %s: %w", src, err)
	}
	return o.Close()
}
