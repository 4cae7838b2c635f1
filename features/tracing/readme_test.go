package tracing

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
)

// The README's feature table gives the number of rows of every table-driven feature (those with
// rows a profile may declare): it must be the number the table has (it once said 20 for
// StatusMatrix's 27).
func TestREADMECountsTheRowsOfEachTable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	tables := 0
	for _, f := range Catalog() {
		if len(f.Deviable) == 0 {
			continue
		}
		tables++
		m := regexp.MustCompile(`(?m)^\| ` + f.Name + ` \|[^\n]*?table row[^(\n]*\((\d+)`).FindSubmatch(readme)
		if m == nil {
			t.Errorf("README.md's feature table gives no row count for %s, as \"one table row ... (N\"", f.Name)
			continue
		}
		if n, _ := strconv.Atoi(string(m[1])); n != len(f.Deviable) {
			t.Errorf("README.md says %s has %d rows; its table has %d", f.Name, n, len(f.Deviable))
		}
	}
	if tables < len(tableOf) {
		t.Errorf("found %d table-driven features in Catalog(), want at least the %d of tableOf", tables, len(tableOf))
	}
}

// The README's contract tables ("Bring your gateway") are what framework/contract and the
// profiles render: rewrite them with go run ./cmd/contract -readme README.md.
func TestREADMEShowsTheContractAsTheDataRendersIt(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	load := func(env map[string]string) (*config.Config, error) {
		return config.LoadFile(filepath.Join("..", "..", config.FileName), func(k string) (string, bool) { v, ok := env[k]; return v, ok }, Names())
	}
	cfg, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	impls, err := contract.Implementations(cfg, load)
	if err != nil {
		t.Fatal(err)
	}
	want, err := contract.Replace(string(readme), contract.Markdown(impls))
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	if want != string(readme) {
		t.Errorf("README.md's contract differs from what framework/contract and profiles/ render; run go run ./cmd/contract -readme README.md")
	}
}
