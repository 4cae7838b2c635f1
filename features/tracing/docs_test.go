package tracing

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
)

// root is the repository, from this package's directory.
var root = filepath.Join("..", "..")

// The features' specs, declared here only so that TestDocsCountTheSpecs can preview them: this
// test binary never runs them (no RunSpecs).
var _ = DescribeAll(func() Input { return Input{} })

// docs returns every Markdown file a reader is pointed at: README.md, BENCHMARKS.md and docs/.
func docs(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	read := func(path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out[path] = string(data)
	}
	read(filepath.Join(root, "README.md"))
	read(filepath.Join(root, "BENCHMARKS.md"))
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			read(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every "N specs" a doc states is the number of specs the suite declares, counted as
// go tool ginkgo --dry-run counts them (it once said 50 when there were 91).
func TestDocsCountTheSpecs(t *testing.T) {
	report := PreviewSpecs("tracing")
	specs := 0
	for _, s := range report.SpecReports {
		if s.LeafNodeType == types.NodeTypeIt {
			specs++
		}
	}
	if specs == 0 {
		t.Fatal("PreviewSpecs found no spec")
	}
	stated := 0
	for path, text := range docs(t) {
		for _, m := range regexp.MustCompile(`\b(\d+) specs\b`).FindAllStringSubmatch(text, -1) {
			stated++
			if n, _ := strconv.Atoi(m[1]); n != specs {
				t.Errorf("%s says %q; the suite declares %d specs", path, m[0], specs)
			}
		}
	}
	if stated == 0 {
		t.Errorf("no doc states the number of specs; docs/features.md should (\"the suite has %d specs\")", specs)
	}
}

// docs/features.md's feature table gives the number of rows of every table-driven feature (those
// with rows a profile may declare): it must be the number the table has (it once said 20 for
// StatusMatrix's 27).
func TestDocsCountTheRowsOfEachTable(t *testing.T) {
	path := filepath.Join(root, "docs", "features.md")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, feature := range []string{"TraceContext", "StatusMatrix"} {
		rows := registry[feature].rows()
		m := regexp.MustCompile(`(?m)^\| ` + feature + ` \|[^\n]*?table row[^(\n]*\((\d+)`).FindSubmatch(text)
		if m == nil {
			t.Errorf("%s's feature table gives no row count for %s, as \"one table row ... (N\"", path, feature)
			continue
		}
		if n, _ := strconv.Atoi(string(m[1])); n != len(rows) {
			t.Errorf("%s says %s has %d rows; its table has %d", path, feature, n, len(rows))
		}
	}
}

// The contract tables of docs/bring-your-gateway.md are what framework/contract and the
// profiles render: rewrite them with go run ./cmd/contract -readme docs/bring-your-gateway.md.
func TestDocsShowTheContractAsTheDataRendersIt(t *testing.T) {
	path := filepath.Join(root, "docs", "bring-your-gateway.md")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	load := func(env map[string]string) (*config.Config, error) {
		return config.LoadFile(filepath.Join(root, config.FileName), func(k string) (string, bool) { v, ok := env[k]; return v, ok }, Names())
	}
	cfg, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	impls, err := contract.Implementations(cfg, load)
	if err != nil {
		t.Fatal(err)
	}
	want, err := contract.Replace(string(text), contract.Markdown(impls))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if want != string(text) {
		t.Errorf("%s's contract differs from what framework/contract and profiles/ render; run go run ./cmd/contract -readme "+
			"docs/bring-your-gateway.md", path)
	}
}
