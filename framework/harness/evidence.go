package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/tracegate/tracegate/framework/debug"
	"github.com/tracegate/tracegate/framework/verdict"
)

// EvidenceDirName is the directory of the report directory that holds the evidence of the run's
// declared deviations: a bundle per deviating spec, as a failure's, with the trace's picture.
const EvidenceDirName = "evidence"

// onDeviation runs after each spec, before the environment stops: a spec that ended as a
// declared deviation gets the bundle a failure gets (requests, spans, the trace's waterfall),
// written under the report directory's evidence/ and named by the report entry "artifacts", so
// that a reader sees what the gateway did instead without rerunning it. The environment's own
// artifacts (logs, cluster state) are a failure's only: a deviation is an expected outcome.
func (h *Harness) onDeviation() {
	spec := CurrentSpecReport()
	v, ended, err := verdict.Of(spec)
	if err != nil || !ended || v.Kind != verdict.Deviation {
		return
	}
	bundle := debug.Collect(spec.FullText(), "deviation: "+v.Reason, h.Config.Environment.Name, h.Env, h.Requests.Responses())
	// debug.Dir cuts a name at 80 characters: rows that share their first 80 get a number each.
	dir := fmt.Sprintf("%s-%d", debug.Dir(filepath.Join(h.Config.ReportDir, EvidenceDirName), spec.FullText(), time.Now()), evidenceSeq.Add(1))
	if err := bundle.Write(dir, nil); err != nil {
		fmt.Fprintf(GinkgoWriter, "writing the deviation's evidence to %s: %v\n", dir, err)
		return
	}
	AddReportEntry("artifacts", dir)
}

var evidenceSeq atomic.Int64

// removeStaleEvidence removes the previous run's deviation evidence, with its report.
func removeStaleEvidence(reportDir string) {
	if err := os.RemoveAll(filepath.Join(reportDir, EvidenceDirName)); err != nil {
		fmt.Fprintf(GinkgoWriter, "removing the previous run's evidence: %v\n", err)
	}
}
