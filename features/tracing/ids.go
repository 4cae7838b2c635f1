package tracing

import (
	"fmt"
	"os"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/tracegate/tracegate/framework/report"
)

// IDLabelPrefix marks the Ginkgo label that carries a spec's or table row's stable ID, such as
// "id:tc-two-traceparents-invalid": short, unique, and kept when the sentence is reworded
// (ids.txt lists them all), as Gateway API's ShortName is. Deviations, skip lists and reports
// name a spec by it.
const IDLabelPrefix = report.IDLabelPrefix

// ID is the decorator that gives an It or Entry its stable ID.
func ID(id string) Labels { return Label(IDLabelPrefix + id) }

// IDOf returns the stable ID among a spec's labels, "" if it has none.
func IDOf(labels []string) string {
	for _, l := range labels {
		if id, ok := strings.CutPrefix(l, IDLabelPrefix); ok {
			return id
		}
	}
	return ""
}

// h2cSuffix ends the ID of a trace-context row run over HTTP/2: the row's declarations hold
// for both protocols (baseID).
const h2cSuffix = "-h2c"

// baseID is the ID a declaration or skip names for the spec with ID id: the row's own ID for
// its run over HTTP/2.
func baseID(id string) string { return strings.TrimSuffix(id, h2cSuffix) }

// IDs returns every stable ID of the feature: its Its' and its tables' rows', the HTTP/2 runs
// of trace-context rows included.
func (f Feature) IDs() []string {
	ids := slices.Clone(f.SpecIDs)
	ids = append(ids, f.rows()...)
	if f.Name == "TraceContext" {
		h2c, _ := rowKeys(contextVectors, h2cSuffix)
		ids = append(ids, h2c...)
	}
	return ids
}

// DeclarableIDs are the IDs a deviation may name: its Its' and its tables' rows' (a row's
// declaration holds for its run over HTTP/2 too).
func (f Feature) DeclarableIDs() []string { return append(slices.Clone(f.SpecIDs), f.rows()...) }

// rows are the IDs of the feature's table rows.
func (f Feature) rows() []string {
	var ids []string
	switch f.Name {
	case "TraceContext":
		ids, _ = rowKeys(contextVectors, "")
	case "TraceState":
		ids, _ = rowKeys(passThroughRows, "")
	case "StatusMatrix":
		ids, _ = rowKeys(statusRows(), "")
	case "SemanticConventions":
		ids, _ = rowKeys(semconvRows, "")
	}
	return ids
}

// AllIDs returns every feature's IDs, by feature: what a skip list may name.
func AllIDs() map[string][]string {
	out := map[string][]string{}
	for _, f := range All() {
		out[f.Name] = f.IDs()
	}
	return out
}

// CheckSkip returns an error naming every ID of a skip list that is no spec's or row's.
func CheckSkip(ids []string) error {
	known := map[string]bool{}
	for _, list := range AllIDs() {
		for _, id := range list {
			known[id] = true
		}
	}
	var unknown []string
	for _, id := range ids {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf(
			"skip list: %s: not the ID of any spec or row; the IDs are listed in features/tracing/ids.txt and shown in the report",
			strings.Join(unknown, ", "),
		)
	}
	return nil
}

// SkipFromEnv is the skip list E2E_SKIP gives, IDs separated by commas or spaces, checked.
func SkipFromEnv() ([]string, error) {
	ids := strings.FieldsFunc(os.Getenv("E2E_SKIP"), func(r rune) bool { return r == ',' || r == ' ' })
	if err := CheckSkip(ids); err != nil {
		return nil, fmt.Errorf("E2E_SKIP=%s: %w", os.Getenv("E2E_SKIP"), err)
	}
	return ids, nil
}
