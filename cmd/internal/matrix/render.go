package matrix

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The files Write makes in its directory.
const (
	HTMLName     = "index.html"
	MarkdownName = "matrix.md"
	JSONName     = "matrix.json"
)

//go:embed page.html.tmpl
var pageTemplate string

var page = template.Must(template.New("page").Option("missingkey=error").Funcs(template.FuncMap{
	"look": LookOf,
	"css":  func(s string) template.CSS { return template.CSS(s) },
}).Parse(pageTemplate))

// view is what the page template shows: every cell already looked up, every evidence numbered.
type view struct {
	Generated string
	Columns   []*Column
	Rows      []viewRow
	Evidence  []evidence
	Legend    []Look
}

type viewRow struct {
	Row
	Cells []viewCell
}

type viewCell struct {
	Column   string
	Result   string
	Look     Look
	Evidence string // the anchor of its evidence; "" for a pass
}

type evidence struct {
	ID, Column, Title, Result, Reason, Duration string
	Look                                        Look
	Pictures, Files                             []string
	Specs                                       []string // a feature's specs that did not pass
}

// Write builds the page, matrix.md and matrix.json in out, copying the evidence there first.
func (m *Matrix) Write(out string, now time.Time) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := m.CopyEvidence(out); err != nil {
		return err
	}
	v := m.view(now)
	f, err := os.Create(filepath.Join(out, HTMLName))
	if err != nil {
		return err
	}
	if err := page.Execute(f, v); err != nil {
		f.Close()
		return fmt.Errorf("rendering %s: %w", HTMLName, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, MarkdownName), []byte(m.Markdown()), 0o644); err != nil {
		return err
	}
	data, err := json.MarshalIndent(m.jsonView(), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, JSONName), append(data, '\n'), 0o644)
}

func (m *Matrix) view(now time.Time) view {
	v := view{Generated: now.UTC().Format(time.RFC3339), Columns: m.Columns}
	used := map[string]bool{}
	for ri, r := range m.Rows {
		vr := viewRow{Row: r}
		for ci, c := range m.Columns {
			cell := m.Cell(c, r)
			vc := viewCell{Column: c.Key, Result: cell.Result, Look: LookOf(cell.Result)}
			used[cell.Result] = true
			if !vc.Look.Pass {
				e := m.evidenceOf(c, r, cell)
				e.ID = fmt.Sprintf("ev-%d-%d", ci, ri)
				vc.Evidence = e.ID
				v.Evidence = append(v.Evidence, e)
			}
			vr.Cells = append(vr.Cells, vc)
		}
		v.Rows = append(v.Rows, vr)
	}
	for _, c := range m.Columns {
		used[c.Outcome] = true
	}
	keys := make([]string, 0, len(used))
	for k := range used {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	seen := map[string]bool{}
	for _, k := range keys {
		if l := LookOf(k); !seen[l.Words] {
			seen[l.Words] = true
			v.Legend = append(v.Legend, l)
		}
	}
	return v
}

func (m *Matrix) evidenceOf(c *Column, r Row, cell Cell) evidence {
	e := evidence{
		Column:   c.label(),
		Title:    r.Spec,
		Result:   cell.Result,
		Look:     LookOf(cell.Result),
		Reason:   cell.Reason,
		Duration: cell.Duration,
	}
	if r.Spec == "" {
		e.Title = "feature " + r.Feature
		for _, rr := range m.Rows {
			if rr.Feature != r.Feature || rr.Spec == "" {
				continue
			}
			if sc := m.Cell(c, rr); !LookOf(sc.Result).Pass {
				e.Specs = append(e.Specs, LookOf(sc.Result).Words+": "+rr.Spec)
			}
		}
		if c.Outcome == "no-report" {
			e.Reason = c.Reason
		}
	}
	for _, f := range cell.Files {
		if strings.HasSuffix(f, ".svg") {
			e.Pictures = append(e.Pictures, f)
		} else {
			e.Files = append(e.Files, f)
		}
	}
	return e
}

func (c *Column) label() string {
	return strings.TrimSpace(fmt.Sprintf("%s %s (%s, %s)", c.Gateway, c.Version, c.Path, c.Environment))
}

// Markdown is the matrix as a Markdown table: the result of every cell in words.
func (m *Matrix) Markdown() string {
	var b strings.Builder
	b.WriteString("# tracegate matrix\n\n| feature / spec |")
	for _, c := range m.Columns {
		fmt.Fprintf(&b, " %s %s<br>%s (%s)<br>%s, %s |", c.Gateway, c.Version, c.Path, c.Environment, LookOf(c.Outcome).Words, c.Duration)
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(m.Columns)) + "\n")
	for _, r := range m.Rows {
		name := "**" + r.Feature + "**"
		if r.Spec != "" {
			name = r.Spec
		}
		fmt.Fprintf(&b, "| %s |", mdEscape(name))
		for _, c := range m.Columns {
			fmt.Fprintf(&b, " %s |", LookOf(m.Cell(c, r).Result).Words)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

type jsonRow struct {
	Row
	Cells map[string]Cell `json:"cells"`
}

func (m *Matrix) jsonView() any {
	rows := make([]jsonRow, 0, len(m.Rows))
	for _, r := range m.Rows {
		jr := jsonRow{Row: r, Cells: map[string]Cell{}}
		for _, c := range m.Columns {
			jr.Cells[c.Key] = m.Cell(c, r)
		}
		rows = append(rows, jr)
	}
	return struct {
		Columns []*Column `json:"columns"`
		Rows    []jsonRow `json:"rows"`
	}{m.Columns, rows}
}
