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

// The row whose declaration the test makes wrong: Caddy's span for a refused upstream is UNSET,
// and the test declares it OK instead.
const (
	misdeclaredRow  = "an upstream that refuses the connection: the SERVER span's status is ERROR"
	misdeclaredID   = "status-refused-server-status" // the row's stable ID, which the profile declares it by
	misdeclaredSeen = "got with status OK"
)

// TestMisdeclaredDeviationIsAFailure runs the StatusMatrix specs of the compiled suite on the
// local Caddy with one declared deviation saying the row shows what it does not: the row, which
// fails for another reason than the declared one, must be reported as a failure with the
// declaration and what was seen, while the rows declared right stay deviations. make
// e2e-verdicts runs it, with the suite it compiled in TRACEGATE_SUITE.
func TestMisdeclaredDeviationIsAFailure(t *testing.T) {
	suite := os.Getenv("TRACEGATE_SUITE")
	if suite == "" {
		t.Skip("needs the compiled suite and the local Caddy: make e2e-verdicts")
	}
	root, out := configtest.Root(t), t.TempDir()
	config := repoConfig(t, root, out, func(*yaml.Node) {})
	profile := repoProfile(t, root, "caddy", func(doc *yaml.Node) {
		seen := node(doc, "implementations", "caddy", "deviations", "StatusMatrix", misdeclaredID, "seen")
		*seen = yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: misdeclaredSeen}}}
	})
	cmd := exec.Command("go", "tool", "ginkgo", "--no-color", "--label-filter=Feature: containsAny {StatusMatrix}", "--output-dir="+out, suite)
	cmd.Dir, cmd.Env = root, append(runEnv(config, out), "E2E_PROFILE="+profile)
	output, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf("the run passed with a declaration the gateway does not match:\n%s", output)
	}
	c := readReport(t, filepath.Join(out, report.YAMLName))
	var matrix report.FeatureReport
	for _, f := range c.Features {
		if f.Name == "StatusMatrix" {
			matrix = f
		}
	}
	if c.Run.Outcome != report.RunFailed || matrix.Result != report.Failure || len(matrix.Failed) != 1 {
		t.Fatalf("run %s, StatusMatrix %s with failed specs %+v; want one failure\n%s", c.Run.Outcome, matrix.Result, matrix.Failed, output)
	}
	failed := matrix.Failed[0]
	if failed.ID != misdeclaredID {
		t.Errorf("the failed row's ID is %q; want %q", failed.ID, misdeclaredID)
	}
	for _, want := range []string{
		misdeclaredRow, // in the spec's name
		"failed, but not as implementations.caddy.deviations.StatusMatrix in " + profile + " declares", // the profile's file
		`the declaration says "` + misdeclaredSeen + `"`,
		"reverse_proxy returns the failure to Caddy", // the declaration's reason
		"What was seen:", "got with status UNSET", // what the gateway did
	} {
		if !strings.Contains(failed.Name+"\n"+failed.Reason, want) {
			t.Errorf("the failure lacks %q:\n%s\n%s", want, failed.Name, failed.Reason)
		}
	}
	if matrix.Statistics.Deviations != 6 {
		t.Errorf("%d deviations, want Caddy's other 6 StatusMatrix rows declared right: %+v", matrix.Statistics.Deviations, matrix.Deviations)
	}
}
