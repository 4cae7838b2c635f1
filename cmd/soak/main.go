// Command soak runs the tracing suite many times, usually under a fault profile, and reports
// how many runs failed and why: `make soak` (N=10 ENV=local-faults).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"

	"github.com/tracegate/tracegate/internal/suiterun"
)

func main() {
	runs := flag.Int("n", 10, "how many times to run the suite")
	env := flag.String("env", "local-faults", "the E2E_ENV to run under")
	procs := flag.Int("procs", 1, "ginkgo processes per run")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	reasons := map[string]int{}
	failedRuns := 0
	fmt.Printf("soak: %d runs of the suite in environment %s, %d process(es) each\n", *runs, *env, *procs)
	for i := 1; i <= *runs && ctx.Err() == nil; i++ {
		res := suiterun.Run(ctx, ".", suiterun.Options{Env: []string{"E2E_ENV=" + *env}, Args: []string{fmt.Sprintf("--procs=%d", *procs)}})
		failed := res.Failed()
		status := "pass"
		switch {
		case res.Err != nil:
			status = "error"
			reasons["run error: "+suiterun.FirstLine(res.Err.Error())]++
		case len(failed) > 0:
			status = "FAIL"
			for _, s := range failed {
				reasons[s.FullText()+": "+suiterun.FirstLine(s.Failure.Message)]++
			}
		}
		if status != "pass" {
			failedRuns++
		}
		fmt.Printf("run %2d: %-5s %3d specs, %d failed, %s\n", i, status, len(res.Specs), len(failed), res.Duration.Round(100_000_000))
	}
	fmt.Printf("\nsoak result: %d of %d runs failed\n", failedRuns, *runs)
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
