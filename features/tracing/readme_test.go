package tracing

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// The README's feature table gives the number of rows of each table-driven feature: it must be
// the number the table has (it once said 20 for StatusMatrix's 27).
func TestREADMECountsTheRowsOfEachTable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := RowNames()
	for _, feature := range []string{"TraceContext", "StatusMatrix"} {
		m := regexp.MustCompile(`(?m)^\| ` + feature + ` \|[^\n]*?table row[^(\n]*\((\d+)`).FindSubmatch(readme)
		if m == nil {
			t.Errorf("README.md's feature table gives no row count for %s, as \"one table row ... (N\"", feature)
			continue
		}
		if n, _ := strconv.Atoi(string(m[1])); n != len(rows[tableOf[feature]]) {
			t.Errorf("README.md says %s has %d rows; its table has %d", feature, n, len(rows[tableOf[feature]]))
		}
	}
}
