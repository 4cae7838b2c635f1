package tracing

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/config"
	frameworkharness "github.com/tracegate/tracegate/framework/harness"
)

// idForm is a stable ID: short, lower-case words joined by '-'.
var idForm = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Every spec the suite declares carries one ID label, unique in the suite and one of its
// feature's IDs; and the IDs are those of ids.txt, so that removing or renaming one (which
// orphans the declarations and skip lists naming it) is a deliberate edit of that file.
func TestIDsAreUniqueAndListed(t *testing.T) {
	declared := map[string]string{} // id -> the spec's text
	for _, s := range PreviewSpecs("tracing").SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		var ids []string
		for _, l := range s.Labels() {
			if strings.HasPrefix(l, IDLabelPrefix) {
				ids = append(ids, IDOf([]string{l}))
			}
		}
		if len(ids) != 1 {
			t.Errorf("%q has %d ID labels %v; want one (ID)", s.FullText(), len(ids), ids)
			continue
		}
		if other, dup := declared[ids[0]]; dup {
			t.Errorf("ID %s is both %q and %q", ids[0], other, s.FullText())
		}
		declared[ids[0]] = s.FullText()
	}
	var listed []string
	for feature, ids := range AllIDs() {
		for _, id := range ids {
			if !idForm.MatchString(id) || len(id) > 48 {
				t.Errorf("%s: ID %q is not lower-case words joined by '-', at most 48 characters", feature, id)
			}
			if _, ok := declared[id]; !ok {
				t.Errorf("%s lists ID %s, which no spec carries", feature, id)
			}
			listed = append(listed, feature+" "+id)
		}
	}
	if len(listed) != len(declared) {
		t.Errorf("the features list %d IDs; the specs carry %d", len(listed), len(declared))
	}
	slices.Sort(listed)
	data, err := os.ReadFile("ids.txt")
	if err != nil {
		t.Fatal(err)
	}
	var committed []string
	for _, line := range strings.Split(string(data), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			committed = append(committed, line)
		}
	}
	for _, l := range committed {
		if !slices.Contains(listed, l) {
			t.Errorf("ids.txt lists %q, which is gone: a declaration or skip list naming it matches nothing now; keep the ID, "+
				"or remove it from ids.txt on purpose", l)
		}
	}
	for _, l := range listed {
		if !slices.Contains(committed, l) {
			t.Errorf("%q is not in ids.txt; add it (the list of stable IDs)", l)
		}
	}
}

// A declaration names its row by ID: rewording the row's sentence leaves it matching.
func TestRewordedSentenceKeepsItsDeclaration(t *testing.T) {
	env := map[string]string{"E2E_IMPLEMENTATION": "caddy", "E2E_ENV": "local"}
	cfg, err := config.LoadFile(
		filepath.Join("..", "..", config.FileName),
		func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Names(),
	)
	if err != nil {
		t.Fatal(err)
	}
	const id = "tc-unknown-flags-bits-ignored" // declared by deviationSets.opentelemetry-go, which caddy names
	i := slices.IndexFunc(contextVectors, func(v contextVector) bool { return v.id == id })
	if i < 0 {
		t.Fatalf("no row %s", id)
	}
	old := contextVectors[i].name
	contextVectors[i].name = "flags bits it does not know are ignored, and the sampled one is kept"
	defer func() { contextVectors[i].name = old }()

	if err := frameworkharness.CheckDeviations(cfg, Catalog()); err != nil {
		t.Errorf("after rewording %q: %v", old, err)
	}
	d, ok := cfg.Implementation.Deviation("TraceContext", contextVectors[i].id)
	if !ok || !strings.Contains(d.Reason, "rejects version 00 flags above 02") {
		t.Errorf("after rewording %q, the row's declaration is %+v, %v; want caddy's (opentelemetry-go's)", old, d, ok)
	}
}

// A skip list names IDs; one that names none is refused, naming it.
func TestCheckSkip(t *testing.T) {
	if err := CheckSkip([]string{"sampling-zero", "tc-two-traceparents-invalid", "tc-two-traceparents-invalid-h2c"}); err != nil {
		t.Error(err)
	}
	err := CheckSkip([]string{"sampling-zero", "two traceparent headers are invalid"})
	if err == nil || !strings.Contains(err.Error(), "two traceparent headers are invalid") || strings.Contains(err.Error(), "sampling-zero") {
		t.Errorf("a sentence in a skip list: %v; want an error naming it alone", err)
	}
}

// writeIDs prints ids.txt's content (go test -run TestPrintIDs -v), for a deliberate change.
func TestPrintIDs(t *testing.T) {
	if os.Getenv("TRACEGATE_PRINT_IDS") == "" {
		t.Skip("set TRACEGATE_PRINT_IDS=1 to print ids.txt")
	}
	for _, f := range slices.Sorted(maps.Keys(AllIDs())) {
		for _, id := range slices.Sorted(slices.Values(AllIDs()[f])) {
			fmt.Println(f + " " + id)
		}
	}
}
