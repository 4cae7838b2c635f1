package report_test

import (
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/verdict"
)

func spec(text string, state types.SpecState, msg string, labels ...string) types.SpecReport {
	return types.SpecReport{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: text, LeafNodeLabels: labels,
		State: state, Failure: types.Failure{Message: msg}, RunTime: 1500 * time.Millisecond,
	}
}

// ended is a skipped spec that recorded its verdict, as verdict.End does: the entry, and a skip
// message saying the same.
func ended(text string, kind verdict.Kind, reason string, labels ...string) types.SpecReport {
	s := spec(text, types.SpecStateSkipped, string(kind)+": "+reason, labels...)
	s.ReportEntries = types.ReportEntries{{Name: verdict.EntryName, Value: types.WrapEntryValue(verdict.Verdict{Kind: kind, Reason: reason})}}
	return s
}

func features(names ...string) []report.Feature {
	var out []report.Feature
	for _, n := range names {
		out = append(out, report.Feature{Name: n, Label: "Feature:" + n})
	}
	return out
}

var caddy = report.Run{
	Implementation: report.Implementation{Name: "caddy", Version: "v2.11.9"},
	Environment:    "local",
	Now:            time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
}

func byName(c report.Conformance) map[string]report.FeatureReport {
	got := map[string]report.FeatureReport{}
	for _, f := range c.Features {
		got[f.Name] = f
	}
	return got
}
