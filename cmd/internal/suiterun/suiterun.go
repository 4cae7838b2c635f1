// Package suiterun runs the tracing suite as a child `go tool ginkgo` and reads its JSON report,
// for the tools that run it many times (soak, mutate).
package suiterun

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/environment/local"
	"github.com/tracegate/tracegate/framework/faultproxy"
)

// Options say how to run the suite once.
type Options struct {
	// Env is added to the tool's own environment, e.g. "E2E_ENV=local-faults".
	Env []string
	// Args are extra ginkgo flags, e.g. "--procs=2".
	Args []string
	// Suite is the suite compiled once by Build; "" compiles ./suites/... for this run.
	Suite string
}

// Build compiles the suite once (go tool ginkgo build, with the cluster environments), for the tools that run it many times:
// each run then starts the binary instead of compiling and linking the suite again. It returns
// the binary's path relative to dir.
func Build(ctx context.Context, dir string) (string, error) {
	// With the cluster tag, as make e2e builds it for a cluster environment: a soak or a
	// mutation run may name any environment of ginkgo.yaml.
	const bin = "./suites/tracing/tracing-cluster.test"
	cmd := exec.CommandContext(ctx, "go", "tool", "ginkgo", "build", "--tags=cluster", "-o", bin, "./suites/tracing")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the suite (go tool ginkgo build --tags=cluster ./suites/tracing): %w\n%s", err, tail(string(out), 40))
	}
	return bin, nil
}

// Result is one run: its specs and how it ended.
type Result struct {
	Specs    types.SpecReports
	Duration time.Duration
	Output   string
	// Faults is what the run's fault proxies injected, by path (client/default, export/http,
	// ...), summed over its Ginkgo processes; empty without a fault profile.
	Faults map[string]faultproxy.Stats
	// Err is set when the run could not produce a report at all (a build failure, a bad
	// config); failed specs are not an error here, they are in Specs.
	Err error
}

// Failed returns the specs that failed, panicked, timed out or were interrupted.
func (r Result) Failed() types.SpecReports {
	return r.Specs.WithState(types.SpecStateFailureStates)
}

// Run runs the suite in dir (the repository root) and returns its report.
func Run(ctx context.Context, dir string, o Options) Result {
	tmp, err := os.MkdirTemp("", "tracegate-run-")
	if err != nil {
		return Result{Err: err}
	}
	defer os.RemoveAll(tmp)
	args := append([]string{"tool", "ginkgo", "--json-report=report.json", "--output-dir=" + tmp}, o.Args...)
	if o.Suite != "" {
		args = append(args, o.Suite)
	} else {
		args = append(args, "./suites/...")
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	faults := filepath.Join(tmp, "faults")
	if err := os.Mkdir(faults, 0o755); err != nil {
		return Result{Err: err}
	}
	// Its own report directory: a soak or mutation run never overwrites the user's reports.
	cmd.Env = append(os.Environ(), local.FaultStatsDirVariable+"="+faults, "E2E_REPORT_DIR="+filepath.Join(tmp, "reports"))
	cmd.Env = append(cmd.Env, o.Env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	runErr := cmd.Run()
	res := Result{Duration: time.Since(start), Output: out.String(), Faults: readFaultStats(faults)}
	data, err := os.ReadFile(filepath.Join(tmp, "report.json"))
	if err != nil {
		res.Err = fmt.Errorf("the suite wrote no report (%v): %w\n%s", runErr, err, tail(res.Output, 40))
		return res
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil {
		res.Err = fmt.Errorf("reading the suite's report: %w", err)
		return res
	}
	for _, r := range reports {
		if !r.SuiteSucceeded && len(r.SpecReports.WithLeafNodeType(types.NodeTypeIt)) == 0 {
			res.Err = fmt.Errorf("the suite failed before any spec ran:\n%s", tail(res.Output, 40))
		}
		res.Specs = append(res.Specs, r.SpecReports.WithLeafNodeType(types.NodeTypeIt)...)
	}
	return res
}

// readFaultStats sums the fault-stats-<pid>.json files the run's processes wrote.
func readFaultStats(dir string) map[string]faultproxy.Stats {
	sum := map[string]faultproxy.Stats{}
	files, _ := filepath.Glob(filepath.Join(dir, "fault-stats-*.json"))
	for _, f := range files {
		var stats map[string]faultproxy.Stats
		if data, err := os.ReadFile(f); err == nil && json.Unmarshal(data, &stats) == nil {
			for path, s := range stats {
				sum[path] = sum[path].Add(s)
			}
		}
	}
	return sum
}

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
