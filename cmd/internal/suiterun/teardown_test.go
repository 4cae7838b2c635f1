package suiterun_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/report"
)

// TestFailedTeardownReport runs the compiled suite's SpanName specs on the local Caddy with a
// gateway stop wait too short for Caddy to exit on SIGTERM: every spec passes, then the suite's
// cleanup (the environment's Stop, a DeferCleanup of the suite) fails, and the report must say
// teardown-failed, with why, and claim no conformance. make e2e-verdicts runs it, with the
// suite it compiled in TRACEGATE_SUITE.
func TestFailedTeardownReport(t *testing.T) {
	suite := os.Getenv("TRACEGATE_SUITE")
	if suite == "" {
		t.Skip("needs the compiled suite and the local Caddy: make e2e-verdicts")
	}
	root, out := configtest.Root(t), t.TempDir()
	config := repoConfig(t, root, out, func(doc *yaml.Node) {
		set(t, doc, "1ms", "waits", "default", "gatewayStop", "timeout")
		set(t, doc, "1ms", "waits", "default", "gatewayStop", "polling")
	})
	cmd := exec.Command("go", "tool", "ginkgo", "--no-color", "--label-filter=Feature: containsAny {SpanName}", "--output-dir="+out, suite)
	cmd.Dir, cmd.Env = root, runEnv(config, out)
	output, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf("the run exited 0 with a failed teardown:\n%s", output)
	}
	c := readReport(t, filepath.Join(out, report.YAMLName))
	var spanName report.FeatureReport
	for _, f := range c.Features {
		if f.Name == "SpanName" {
			spanName = f
		}
	}
	if spanName.Result != report.Success || spanName.Statistics.Passed == 0 {
		t.Fatalf(
			"SpanName %s with %d passed; want its specs to pass, so that only the teardown fails\n%s",
			spanName.Result,
			spanName.Statistics.Passed,
			output,
		)
	}
	if c.Run.Outcome != report.RunTeardownFailed || !strings.Contains(c.Run.Reason, "ignored SIGTERM") {
		t.Errorf("run %+v, want teardown-failed saying the gateway ignored SIGTERM\n%s", c.Run, output)
	}
	if c.Verdict.Conformant || !strings.Contains(c.Verdict.Reason, "teardown-failed") {
		t.Errorf("verdict %+v, want no conformance claimed for a run whose teardown failed", c.Verdict)
	}
}
