package matrix_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/cmd/internal/matrix"
)

// TestMatrixFromReports: each run is a column, each spec a row under its feature; a deviation
// carries its reason and its bundle's picture, copied beside the page; a run without a report
// shows why in every cell.
func TestMatrixFromReports(t *testing.T) {
	dir := t.TempDir()
	columns := twoColumns(t, dir)
	m := matrix.Build(columns)
	out := filepath.Join(dir, "out")
	if err := m.Write(out, time.Now()); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range m.Rows {
		keys = append(keys, r.Key)
	}
	want := "SpanName|SpanName / Span names uses the decorator|SpanName / Span names uses the host"
	if got := strings.Join(keys, "|"); got != want {
		t.Fatalf("rows: expected %q, got %q", want, got)
	}
	dev := m.Cell(columns[0], m.Rows[2])
	if dev.Result != "deviations" || !strings.Contains(dev.Reason, "profiles/envoy.yaml") || len(dev.Files) == 0 {
		t.Fatalf("the deviation's cell: expected its reason and files, got %+v", dev)
	}
	for _, f := range dev.Files {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("evidence %s: %v", f, err)
		}
	}
	if c := m.Cell(columns[1], m.Rows[1]); c.Result != "no-report" || c.Reason != "no Docker here" {
		t.Fatalf("the run without a report: expected no-report with its why.txt, got %+v", c)
	}
	md, err := os.ReadFile(filepath.Join(out, matrix.MarkdownName))
	if err != nil || !strings.Contains(string(md), "| Span names uses the host | declared deviation | no report |") {
		t.Fatalf("matrix.md: expected the deviation's row, got %s (%v)", md, err)
	}
	var j map[string]any
	if data, err := os.ReadFile(filepath.Join(out, matrix.JSONName)); err != nil || json.Unmarshal(data, &j) != nil {
		t.Fatalf("matrix.json: %v", err)
	}
}
