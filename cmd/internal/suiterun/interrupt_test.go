package suiterun_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/report"
)

// The run the test interrupts: four features on Caddy (E2E_ENV=local). Sampling's first
// spec holds in its "no span" check (the test's config makes the absence window its wait's
// whole timeout) until the interrupt; the features the seed orders before it finish, the ones
// after it never start, and the label filter leaves TraceState out.
const (
	interruptLabels = "Feature: containsAny {SpanName, Propagation, Sampling, ErrorStatus}"
	heldSpec        = "exports no span for a new trace at 0% sampling"
	heldStep        = "checking that no span mentioning the unique Host arrives"
)

// TestInterruptedRunReport starts the compiled suite as make e2e does, sends SIGINT to its
// process group (what Ctrl-C on a terminal does) while a spec runs, and reads the report the
// run writes. make e2e-interrupt runs it, with the suite it compiled in TRACEGATE_SUITE.
func TestInterruptedRunReport(t *testing.T) {
	suite := os.Getenv("TRACEGATE_SUITE")
	if suite == "" {
		t.Skip("needs the compiled suite and the local Caddy: make e2e-interrupt")
	}
	root, out := configtest.Root(t), t.TempDir()
	env := runEnv(holdingConfig(t, root, out), out)
	seed, order := seedWithFeaturesAround(t, root, suite, env, "Sampling")

	cmd := exec.Command("go", "tool", "ginkgo", "-v", "--no-color", "--seed="+seed, "--label-filter="+interruptLabels,
		"--junit-report=junit.xml", "--output-dir="+out, suite)
	cmd.Dir, cmd.Env = root, env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }) // the test failed before the run ended
	log := waitForLine(t, stdout, heldStep)
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(stdout)
	if err := cmd.Wait(); err == nil {
		t.Errorf("an interrupted run exited 0")
	}
	t.Logf("seed %s orders the features %v; the run's output:\n%s%s", seed, order, log, rest)

	c := readReport(t, filepath.Join(out, report.YAMLName))
	if c.Run.Outcome != report.RunInterrupted || !strings.Contains(c.Run.Reason, "Interrupted by User") {
		t.Errorf("run %+v, want interrupted by the user", c.Run)
	}
	features := map[string]report.FeatureReport{}
	for _, f := range c.Features {
		features[f.Name] = f
		if len(f.Failed) > 0 {
			t.Errorf("%s has failed specs in an interrupted run where nothing failed: %+v", f.Name, f.Failed)
		}
	}
	held := features["Sampling"]
	if held.Result != report.Interrupted || len(held.Interrupted) != 1 || held.Interrupted[0].Name != "Sampling "+heldSpec {
		t.Errorf("Sampling is %s with interrupted specs %+v; want interrupted, with %q", held.Result, held.Interrupted, heldSpec)
	}
	if len(held.NotRun) != 3 || held.Statistics.Passed != 0 {
		t.Errorf("Sampling's specs after the interrupted one: not run %+v, passed %d; want 3 not run", held.NotRun, held.Statistics.Passed)
	}
	at := slices.Index(order, "Sampling")
	for i, name := range order {
		f := features[name]
		switch {
		case i < at && (f.Result != report.Success || f.Statistics.Passed == 0):
			t.Errorf("%s ran before the interrupt: %s with %d passed, want success", name, f.Result, f.Statistics.Passed)
		case i > at && (f.Result != report.NotRun || len(f.NotRun) == 0 || f.Statistics.Passed != 0):
			t.Errorf("%s was to run after the interrupted spec: %s, not run %+v; want not-run", name, f.Result, f.NotRun)
		case i > at && f.NotRun[0].Reason != "not run: the run was interrupted before this spec started":
			t.Errorf("%s not-run reason %q", name, f.NotRun[0].Reason)
		}
	}
	if f := features["TraceState"]; f.Result != report.Skipped ||
		len(f.Skipped) == 0 ||
		f.Skipped[0].Reason != "not selected by the label filter or focus" {
		t.Errorf("TraceState, left out by the label filter: %s %+v", f.Result, f.Skipped)
	}
}

// seedWithFeaturesAround finds a seed that orders another selected feature before middle and
// one after it (Ginkgo shuffles top-level containers by seed), from dry runs of the suite, and
// returns it with the features in that order.
func seedWithFeaturesAround(t *testing.T, root, suite string, env []string, middle string) (string, []string) {
	t.Helper()
	for seed := 1; seed <= 50; seed++ {
		dir := t.TempDir()
		cmd := exec.Command("go", "tool", "ginkgo", "--dry-run", fmt.Sprintf("--seed=%d", seed), "--label-filter="+interruptLabels,
			"--json-report=order.json", "--output-dir="+dir, suite)
		cmd.Dir, cmd.Env = root, append(slices.Clone(env), "E2E_REPORT_DIR="+dir) // the last value counts
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("dry run: %v\n%s", err, out)
		}
		data, err := os.ReadFile(filepath.Join(dir, "order.json"))
		if err != nil {
			t.Fatal(err)
		}
		var reports []types.Report
		if err := json.Unmarshal(data, &reports); err != nil || len(reports) != 1 {
			t.Fatalf("reading the dry run's report: %v", err)
		}
		var order []string
		for _, s := range reports[0].SpecReports {
			if s.LeafNodeType != types.NodeTypeIt || s.State != types.SpecStatePassed {
				continue // a dry run passes exactly the specs it would run
			}
			for _, l := range s.Labels() {
				if name, ok := strings.CutPrefix(l, "Feature:"); ok && !slices.Contains(order, name) {
					order = append(order, name)
				}
			}
		}
		if i := slices.Index(order, middle); i > 0 && i < len(order)-1 {
			return fmt.Sprint(seed), order
		}
	}
	t.Fatalf("no seed up to 50 orders a selected feature before %s and one after it", middle)
	return "", nil
}

// holdingConfig is the repository's ginkgo.yaml with a "no span" check that holds until the run
// is interrupted (the absence window is the absence wait's whole timeout).
func holdingConfig(t *testing.T, root, out string) string {
	t.Helper()
	return repoConfig(t, root, out, func(doc *yaml.Node) {
		set(t, doc, "1000000", "absence", "exportDelayFactor")
		set(t, doc, "30m", "waits", "default", "absence", "timeout")
	})
}

// repoConfig writes the repository's ginkgo.yaml, changed by edit and with artifacts in out,
// beside ginkgo.yaml (so that its relative paths hold, and profiles/ is loaded beside it) as
// .tracegate-verdicts.yaml; it is removed when the test ends.
func repoConfig(t *testing.T, root, out string, edit func(doc *yaml.Node)) string {
	t.Helper()
	return writeEdited(t, root, "ginkgo.yaml", ".tracegate-verdicts.yaml", func(doc *yaml.Node) {
		edit(doc)
		set(t, doc, filepath.Join(out, "artifacts"), "debug", "artifactsDir")
	})
}

// repoProfile writes the repository's profiles/<impl>.yaml, changed by edit, beside ginkgo.yaml
// (so that its relative paths hold) for E2E_PROFILE, which replaces the implementation; it is
// removed when the test ends.
func repoProfile(t *testing.T, root, impl string, edit func(doc *yaml.Node)) string {
	t.Helper()
	return writeEdited(t, root, filepath.Join("profiles", impl+".yaml"), ".tracegate-verdicts-"+impl+".yaml", edit)
}

// writeEdited writes the repository's file src, changed by edit, as dst in the repository.
func writeEdited(t *testing.T, root, src, dst string, edit func(doc *yaml.Node)) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, src))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	edit(&doc)
	data, err = yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, dst)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Remove(path) })
	return path
}

// set sets the scalar at a path of mapping keys, creating the mappings and the key it lacks.
func set(t *testing.T, doc *yaml.Node, value string, keys ...string) {
	t.Helper()
	n := node(doc, keys...)
	if n.Kind != yaml.ScalarNode {
		t.Fatalf("%s is not a scalar in ginkgo.yaml", strings.Join(keys, "."))
	}
	n.Value, n.Tag, n.Style = value, "", 0
}

// node returns the node at a path of mapping keys, creating the mappings and the scalar it lacks.
func node(doc *yaml.Node, keys ...string) *yaml.Node {
	n := doc.Content[0]
	for i, k := range keys {
		var next *yaml.Node
		for j := 0; j+1 < len(n.Content); j += 2 {
			if n.Content[j].Value == k {
				next = n.Content[j+1]
			}
		}
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode}
			if i == len(keys)-1 {
				next = &yaml.Node{Kind: yaml.ScalarNode}
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, next)
		}
		n = next
	}
	return n
}

// runEnv is this process's environment without the variables that would change the run, with
// the test's config and report directory.
func runEnv(config, reports string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "E2E_") && !strings.HasPrefix(kv, "DEBUG=") {
			env = append(env, kv)
		}
	}
	return append(env, "E2E_CONFIG="+config, "E2E_ENV=local", "E2E_REPORT_DIR="+reports)
}

// waitForLine reads r until a line holds want and returns what it read; the run ending first
// fails the test.
func waitForLine(t *testing.T, r io.Reader, want string) string {
	t.Helper()
	var seen strings.Builder
	lines := bufio.NewScanner(r)
	for lines.Scan() {
		seen.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), want) {
			return seen.String()
		}
	}
	t.Fatalf("the run ended before a line with %q:\n%s", want, seen.String())
	return ""
}

func readReport(t *testing.T, path string) report.Conformance {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the interrupted run wrote no report: %v", err)
	}
	var c report.Conformance
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}
