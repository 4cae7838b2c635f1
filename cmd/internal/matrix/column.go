package matrix

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/framework/report"
)

// WhyName is the file a runner leaves in a column's directory when the run made no report (a
// gateway this machine cannot run, a build that failed): its text is what the column shows.
const WhyName = "why.txt"

// Column is one run: what ran where, how the run ended, and a cell per spec and feature.
type Column struct {
	Key            string `json:"key"` // unique among the columns, from the directory's name
	Dir            string `json:"dir"`
	Gateway        string `json:"gateway"`
	Version        string `json:"version"`
	Path           string `json:"path"`        // local, kwok, kind, existing
	Environment    string `json:"environment"` // the environment's name in ginkgo.yaml
	Observed       string `json:"observedVersion,omitempty"`
	Outcome        string `json:"outcome"`
	Verdict        string `json:"verdict,omitempty"`
	Reason         string `json:"reason,omitempty"`
	Duration       string `json:"duration,omitempty"`
	Date           string `json:"date,omitempty"`
	Summary        string `json:"summary,omitempty"`
	cells          map[string]Cell
	featureResults map[string]string
	order          []rowRef // the column's rows in its report's order
}

// Cell is one spec's result in one run, with its evidence unless it passed.
type Cell struct {
	Spec     string   `json:"spec"`
	Result   string   `json:"result"`
	Reason   string   `json:"reason,omitempty"`
	Duration string   `json:"duration,omitempty"`
	Bundle   string   `json:"bundle,omitempty"` // the spec's bundle directory as the run wrote it
	Files    []string `json:"files,omitempty"`  // its files, relative to the page
}

type rowRef struct{ feature, spec, key string }

// Load reads a run's reports from dir: conformance.yaml (required unless why.txt says why there
// is none), junit.xml for each spec's bundle. key names the column.
func Load(dir, key string) (*Column, error) {
	c := &Column{Key: key, Dir: dir, Gateway: key, cells: map[string]Cell{}, featureResults: map[string]string{}}
	data, err := os.ReadFile(filepath.Join(dir, report.YAMLName))
	if errors.Is(err, fs.ErrNotExist) {
		why, werr := os.ReadFile(filepath.Join(dir, WhyName))
		if werr != nil {
			return nil, fmt.Errorf("%s: no %s and no %s saying why", dir, report.YAMLName, WhyName)
		}
		c.Outcome, c.Reason, c.Gateway = "no-report", strings.TrimSpace(string(why)), "no report"
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	var r report.Conformance
	if err := yaml.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, report.YAMLName), err)
	}
	c.fill(r, data)
	if why, err := os.ReadFile(filepath.Join(dir, WhyName)); err == nil && c.Reason == "" {
		c.Reason = strings.TrimSpace(string(why))
	}
	bundles, err := readBundles(filepath.Join(dir, "junit.xml"))
	if err != nil {
		return nil, err
	}
	for k, cell := range c.cells {
		cell.Bundle = bundles[cell.Spec]
		c.cells[k] = cell
	}
	return c, nil
}

func (c *Column) fill(r report.Conformance, data []byte) {
	c.Gateway, c.Version, c.Observed = r.Implementation.Name, r.Implementation.Version, r.Implementation.Observed
	c.Environment, c.Path = r.Environment, pathOf(r.Environment)
	c.Outcome, c.Reason, c.Duration = string(r.Run.Outcome), r.Run.Reason, r.Run.Duration
	c.Date, c.Summary = r.Date, r.Summary
	c.Verdict = verdictOf(data)
	for _, f := range r.Features {
		c.featureResults[f.Name] = string(f.Result)
		for list, specs := range specLists(f) {
			for _, s := range specs {
				k := RowKey(f.Name, s)
				c.cells[k] = Cell{Spec: s.Name, Result: list, Reason: s.Reason, Duration: s.Duration}
				c.order = append(c.order, rowRef{f.Name, s.Name, k})
			}
		}
	}
}

// RowKey is the one name of a spec's row across runs. It is the feature and the spec's sentence
// today; once reports carry a stable ID per spec and row, it is that ID.
func RowKey(feature string, s report.SpecResult) string { return feature + " / " + s.Name }

// verdictOf is the run's verdict, for reports that carry one ("verdict:" with a "result" or as a
// plain string); "" for those that do not.
func verdictOf(data []byte) string {
	var v struct {
		Verdict yaml.Node `yaml:"verdict"`
	}
	if yaml.Unmarshal(data, &v) != nil || v.Verdict.Kind == 0 {
		return ""
	}
	if v.Verdict.Kind == yaml.ScalarNode {
		return v.Verdict.Value
	}
	var m map[string]any
	if v.Verdict.Decode(&m) == nil {
		for _, k := range []string{"result", "claim", "verdict", "outcome"} {
			if s, ok := m[k].(string); ok {
				return s
			}
		}
	}
	return ""
}

// pathOf is how the run reached its gateway, from its environment's name.
func pathOf(env string) string {
	for _, p := range []string{"kwok", "kind", "existing"} {
		if env == p || strings.HasPrefix(env, p+"-") {
			return p
		}
	}
	return "local"
}
