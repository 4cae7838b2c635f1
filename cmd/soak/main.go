// Command soak runs the tracing suite many times, usually under a fault profile, and reports
// how many runs failed and why: `make soak` (N=10 ENV=local-faults).
package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/cmd/internal/suiterun"
	"github.com/tracegate/tracegate/framework/faultproxy"
	"github.com/tracegate/tracegate/internal/text"
)

func main() {
	runs := flag.Int("n", 10, "how many times to run the suite")
	env := flag.String("env", "local-faults", "the E2E_ENV to run under")
	procs := flag.Int("procs", 1, "ginkgo processes per run")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	reasons := map[string]int{}
	injected := map[string]faultproxy.Stats{}
	failedRuns, ran := 0, 0
	fmt.Printf("soak: %d runs of the suite in environment %s, %d process(es) each\n", *runs, *env, *procs)
	suite, err := suiterun.Build(ctx, ".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	for i := 1; i <= *runs && ctx.Err() == nil; i++ {
		res := suiterun.Run(ctx, ".", suiterun.Options{
			Env:   []string{"E2E_ENV=" + *env},
			Args:  []string{fmt.Sprintf("--procs=%d", *procs)},
			Suite: suite,
		})
		ran++
		failed := res.Failed()
		status := "pass"
		switch {
		case res.Err != nil:
			status = "error"
			reasons["run error: "+text.FirstLine(res.Err.Error())]++
		case len(failed) > 0:
			status = "FAIL"
			for _, s := range failed {
				reasons[s.FullText()+": "+text.FirstLine(s.Failure.Message)]++
			}
		}
		if status != "pass" {
			failedRuns++
			if path, err := keep(*env, i, res); err == nil {
				fmt.Printf("        its output and failures: %s\n", path)
			}
		}
		for path, st := range res.Faults {
			injected[path] = injected[path].Add(st)
		}
		fmt.Printf("run %2d: %-5s %3d specs, %d failed, %s\n", i, status, len(res.Specs), len(failed), res.Duration.Round(100_000_000))
	}
	fmt.Println("\nfaults injected over all runs:")
	for _, path := range slices.Sorted(maps.Keys(injected)) {
		c := injected[path]
		fmt.Printf(
			"  %-22s %5d connections, %4d reset, %4d chunks delayed, %4d held by a blackhole\n",
			path,
			c.Connections,
			c.Resets,
			c.Delays,
			c.Blackholed,
		)
	}
	fmt.Printf("\nsoak result: %d of %d runs failed\n", failedRuns, ran)
	if ran < *runs {
		fmt.Printf("  interrupted: %d of the %d runs asked for were run\n", ran, *runs)
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("  %dx %s\n", reasons[k], k)
	}
	if failedRuns > 0 {
		os.Exit(1)
	}
}

// keep writes a failed run's whole output and each failed spec's full failure to
// _artifacts/soak-<env>/run-<i>.log, and returns the path.
func keep(env string, run int, res suiterun.Result) (string, error) {
	dir := filepath.Join("_artifacts", "soak-"+env)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	var b strings.Builder
	for _, s := range res.Failed() {
		fmt.Fprintf(&b, "FAILED %s\n%s\n%s\n\n", s.FullText(), s.Failure.Location, s.Failure.Message)
	}
	if res.Err != nil {
		fmt.Fprintf(&b, "RUN ERROR %v\n\n", res.Err)
	}
	b.WriteString(res.Output)
	path := filepath.Join(dir, fmt.Sprintf("run-%d.log", run))
	return path, os.WriteFile(path, []byte(b.String()), 0o644)
}
