package tracing

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/report"
)

// samplingEntry names the Ginkgo report entry whose value is a samplingClaim.
const samplingEntry = "sampling-claim"

// samplingConfidence is the confidence the 0% sampling claim is stated at.
const samplingConfidence = 0.95

// samplingClaim is what "exports no span for a new trace at 0% sampling" proved: none of
// NewTraces new traces was sampled, so the gateway samples new traces at below Bound, at
// Confidence. Bound is the exact (Clopper-Pearson) upper bound for 0 successes in n trials:
// the p at which (1-p)^n = 1-Confidence, that is 1 - (1-Confidence)^(1/n).
type samplingClaim struct {
	Spec       string  `yaml:"spec" json:"spec,omitempty"`
	NewTraces  int     `yaml:"newTraces" json:"newTraces"`
	Sampled    int     `yaml:"sampled" json:"sampled"`
	Bound      float64 `yaml:"bound" json:"bound"`
	Confidence float64 `yaml:"confidence" json:"confidence"`
	Statement  string  `yaml:"statement" json:"statement"`
}

func newSamplingClaim(n int) samplingClaim {
	bound := 1 - math.Pow(1-samplingConfidence, 1/float64(n))
	return samplingClaim{NewTraces: n, Bound: bound, Confidence: samplingConfidence,
		Statement: fmt.Sprintf("0 of %d new traces sampled: below %s at %g%% confidence", n, percent(bound), samplingConfidence*100)}
}

// percent rounds a fraction up to a percentage with two significant digits, so that the bound
// stated is never below the one proved: 0.00994 is "1%", 0.0295 "3%".
func percent(f float64) string {
	p := f * 100
	scale := math.Pow(10, 1-math.Floor(math.Log10(p)))
	return fmt.Sprintf("%g%%", math.Ceil(p*scale)/scale)
}

// SamplingSection is the feature Sampling's section of the conformance report: the bound each
// 0% sampling claim proved (environments.<name>.samplingTraces).
type SamplingSection struct{}

// Key implements report.Section.
func (SamplingSection) Key() string { return "sampling" }

// Collect implements report.Section.
func (SamplingSection) Collect(specs types.SpecReports) report.Content {
	var out samplingClaims
	for _, spec := range specs {
		for _, entry := range spec.ReportEntries {
			if entry.Name != samplingEntry {
				continue
			}
			var c samplingClaim
			// The claim itself in process, decoded JSON from parallel processes: both through JSON.
			data, err := json.Marshal(entry.Value.GetRawValue())
			if err == nil {
				err = json.Unmarshal(data, &c)
			}
			if err != nil {
				c.Statement = fmt.Sprintf("report entry %q is not a sampling claim: %v", samplingEntry, err)
			}
			c.Spec = spec.FullText()
			out.Claims = append(out.Claims, c)
		}
	}
	if out.Claims == nil {
		return nil
	}
	return out
}

// samplingClaims is the collected section.
type samplingClaims struct {
	Claims []samplingClaim `yaml:"claims"`
}

// Markdown implements report.Content.
func (s samplingClaims) Markdown(b *strings.Builder) {
	b.WriteString("\n## Sampling\n\n")
	for _, c := range s.Claims {
		fmt.Fprintf(b, "- %s: %s\n", c.Spec, c.Statement)
	}
}

// Summary implements report.Content.
func (s samplingClaims) Summary() string {
	var parts []string
	for _, c := range s.Claims {
		parts = append(parts, c.Statement)
	}
	return "sampling: " + strings.Join(parts, "; ")
}
