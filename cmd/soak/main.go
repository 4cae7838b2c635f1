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
	"regexp"
	"slices"
	"sort"
	"strconv"

	"github.com/tracegate/tracegate/internal/suiterun"
)

// statsLine is what the local environment prints for each fault proxy when it stops.
var statsLine = regexp.MustCompile(`fault proxy stats (\S+): connections=(\d+) resets=(\d+) delays=(\d+) blackholed=(\d+)`)

func main() {
	runs := flag.Int("n", 10, "how many times to run the suite")
	env := flag.String("env", "local-faults", "the E2E_ENV to run under")
	procs := flag.Int("procs", 1, "ginkgo processes per run")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	reasons := map[string]int{}
	injected := map[string]*[4]int{}
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
		for _, m := range statsLine.FindAllStringSubmatch(res.Output, -1) {
			if injected[m[1]] == nil {
				injected[m[1]] = &[4]int{}
			}
			for i := range 4 {
				n, _ := strconv.Atoi(m[i+2])
				injected[m[1]][i] += n
			}
		}
		fmt.Printf("run %2d: %-5s %3d specs, %d failed, %s\n", i, status, len(res.Specs), len(failed), res.Duration.Round(100_000_000))
	}
	fmt.Println("\nfaults injected over all runs:")
	for _, path := range slices.Sorted(maps.Keys(injected)) {
		c := injected[path]
		fmt.Printf("  %-22s %5d connections, %4d reset, %4d chunks delayed, %4d held by a blackhole\n", path, c[0], c[1], c[2], c[3])
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
