// Command mutate runs the tracing suite against gateway configurations that are each wrong in
// exactly one way (fixtures/mutations) and checks that the spec owning that behaviour catches
// it, with a message naming what was expected and what arrived: `make mutate`.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/cmd/internal/suiterun"
	"github.com/tracegate/tracegate/framework/difference"
)

func main() {
	catalogues := flag.String(
		"catalogue",
		"fixtures/mutations/caddy.yaml",
		"the mutation catalogues, comma-separated (fixtures/mutations/<implementation>.yaml)",
	)
	only := flag.String("only", "", "run only the mutations with these names (comma-separated)")
	env := flag.String("env", "", "the environment (E2E_ENV) to run in instead of the catalogue's, e.g. envoy-faults")
	runs := flag.Int("runs", 1, "how many times to run each mutation; above 1, count the runs each escaped (false passes)")
	procs := flag.Int("procs", 2, "ginkgo processes a run, unless its mutation says how many (procs in the catalogue)")
	parallel := flag.Int("parallel", 1, "how many runs at once (each a whole suite with its own gateways)")
	ownerOnly := flag.Bool(
		"owner-only",
		false,
		"run only each mutation's owner spec (ginkgo --focus), for many runs of a mutation one spec owns",
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	o := options{
		catalogues: strings.Split(*catalogues, ","),
		env:        *env,
		runs:       *runs,
		procs:      *procs,
		parallel:   *parallel,
		ownerOnly:  *ownerOnly,
	}
	if *only != "" {
		o.only = strings.Split(*only, ",")
	}
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

// options are the command line's.
type options struct {
	catalogues []string
	only       []string
	env        string
	runs       int
	procs      int
	parallel   int
	// ownerOnly focuses each run on the mutation's owner spec: the others are skipped, so a
	// run judges the owner alone (other failures are not counted).
	ownerOnly bool
}

type outcome struct {
	mutation Mutation
	// implementation is the catalogue's (Catalogue.Implementation).
	implementation string
	// caught: the owner failed, showing the mutation's difference (Mutation.Shows).
	caught bool
	// ownerFailed: the owner failed; without caught, for another reason than the mutation's.
	ownerFailed bool
	// differences are those the owner's failure listed (its difference.EntryName entry).
	differences []difference.Difference
	// ownerPassed: the owner spec ran and passed, so the mutation escaped (not caught, and not
	// merely skipped or absent from the run).
	ownerPassed bool
	failed      types.SpecReports
	message     string
	err         error
	// took is the run's wall time: what the mutation cost (BENCHMARKS.md).
	took time.Duration
}

// name is the mutation's name with its implementation, as the tables show it.
func (o outcome) name() string { return o.implementation + "/" + o.mutation.Name }

func run(ctx context.Context, o options) error {
	if o.runs < 1 || o.procs < 1 || o.parallel < 1 {
		return fmt.Errorf("-runs %d, -procs %d, -parallel %d: each must be at least 1", o.runs, o.procs, o.parallel)
	}
	root, _ := os.Getwd()
	jobs, err := o.jobs(root)
	defer func() {
		for _, j := range jobs {
			os.Remove(j.profile)
		}
	}()
	if err != nil {
		return err
	}
	// Mutations change fixtures and the gateway's environment, never the suite: compile it once.
	suite, err := suiterun.Build(ctx, root)
	if err != nil {
		return err
	}
	fmt.Printf("%d run(s) of %d mutation(s), %d at once\n", len(jobs), len(jobs)/o.runs, o.parallel)
	finished, start := 0, time.Now()
	outcomes := runJobs(ctx, jobs, o.parallel, func(j job) outcome {
		vars := []string{"E2E_PROFILE=" + j.profile, "E2E_IMPLEMENTATION=" + j.cat.Implementation}
		if env := cmp.Or(o.env, j.cat.Environment); env != "" {
			vars = append(vars, "E2E_ENV="+env)
		}
		res := suiterun.Run(ctx, root, suiterun.Options{Env: vars, Args: o.args(j), Suite: suite})
		out := judge(j.m, res)
		out.implementation, out.took = j.cat.Implementation, res.Duration
		return out
	}, func(j job, out outcome) {
		finished++
		fmt.Println(progress(j, out, finished, len(jobs)))
	})
	fmt.Printf("%d run(s), %d at once, in %s\n", len(outcomes), o.parallel, time.Since(start).Round(time.Second))
	// An interrupted command still reports the runs that ended (an interrupted run is a run
	// error, never a catch), then says it was interrupted.
	if o.runs == 1 {
		err = report(outcomes)
	} else {
		err = reportTallies(tallies(outcomes), o.env, o.runs)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted after %d of %d run(s) had started: %w", len(outcomes), len(jobs), ctx.Err())
	}
	return err
}

// jobs loads the catalogues, writes each selected mutation's profile, and returns its runs in
// catalogue order. The profiles written so far are returned with an error too, for removal.
func (o options) jobs(root string) ([]job, error) {
	var jobs []job
	for _, path := range o.catalogues {
		cat, err := LoadCatalogue(path)
		if err != nil {
			return jobs, err
		}
		selected, err := cat.Select(o.only)
		if err != nil {
			return jobs, err
		}
		for _, m := range selected {
			profile, err := cat.Write(root, m)
			if err != nil {
				return jobs, fmt.Errorf("mutation %s: %w", m.Name, err)
			}
			procs := cmp.Or(m.Procs, o.procs)
			if o.ownerOnly {
				procs = o.procs // one spec: more processes would only start more gateways
			}
			for i := 1; i <= o.runs; i++ {
				jobs = append(jobs, job{cat: cat, m: m, run: i, profile: profile, procs: procs})
			}
		}
	}
	return jobs, nil
}

// args are the suite's arguments for a run of j.
func (o options) args(j job) []string {
	args := []string{fmt.Sprintf("--procs=%d", j.procs)}
	if o.ownerOnly {
		args = append(args, "--focus="+focusOn(j.m.Owner))
	}
	return args
}

// focusOn is a Ginkgo --focus expression matching the spec whose full text is exactly owner:
// Ginkgo matches it against the suite's description, a space, and the spec's full text.
func focusOn(owner string) string { return ` ` + regexp.QuoteMeta(owner) + `$` }

// judge says whether the owner spec failed showing the mutation's difference, and keeps its
// message and differences. A failure that does not show it is not a catch: the owner failed
// for another reason, and the mutation itself may have escaped.
func judge(m Mutation, res suiterun.Result) outcome {
	o := outcome{mutation: m, failed: res.Failed(), err: res.Err}
	for _, s := range o.failed {
		if s.FullText() != m.Owner {
			continue
		}
		o.ownerFailed, o.message = true, s.Failure.Message
		diffs, err := differencesOf(s)
		if err != nil && o.err == nil {
			o.err = err
		}
		o.differences = diffs
		o.caught = m.Shows.In(diffs)
	}
	for _, s := range res.Specs {
		if s.FullText() == m.Owner && s.State == types.SpecStatePassed {
			o.ownerPassed = true
		}
	}
	return o
}

// differencesOf reads the differences the harness recorded for a failed spec (difference.EntryName).
func differencesOf(s types.SpecReport) ([]difference.Difference, error) {
	for _, e := range s.ReportEntries {
		if e.Name != difference.EntryName {
			continue
		}
		var diffs []difference.Difference
		data, err := json.Marshal(e.Value.GetRawValue())
		if err == nil {
			err = json.Unmarshal(data, &diffs)
		}
		if err != nil {
			return nil, fmt.Errorf("report entry %q of %q is not a list of differences: %w", difference.EntryName, s.FullText(), err)
		}
		return diffs, nil
	}
	return nil, fmt.Errorf(
		"%q failed without a %q report entry: the harness records one for every failed spec",
		s.FullText(),
		difference.EntryName,
	)
}

func report(outcomes []outcome) error {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nMUTATION\tCAUGHT\tBY THE OWNER SPEC\tSPECS FAILED\tRUN TOOK")
	escaped := 0
	for _, o := range outcomes {
		caught := "yes"
		if !o.caught {
			caught, escaped = "NO", escaped+1
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", o.name(), caught, o.mutation.Owner, len(o.failed), o.took.Round(100*time.Millisecond))
	}
	tw.Flush()
	for _, o := range outcomes {
		fmt.Printf("\n--- %s: %s\n", o.name(), o.mutation.Description)
		switch {
		case o.err != nil:
			fmt.Printf("run error: %v\n", o.err)
		case o.ownerFailed && !o.caught:
			fmt.Printf("NOT CAUGHT: %q failed, but without the difference expected %q, got %q. Its differences:\n%s\n",
				o.mutation.Owner, o.mutation.Shows.Expected, o.mutation.Shows.Got, listDifferences(o.differences))
			fmt.Println(excerpt(o.message, 8))
		case !o.caught:
			fmt.Printf("ESCAPED: %q did not fail. Specs that failed: %v\n", o.mutation.Owner, names(o.failed))
		default:
			fmt.Printf("shows: expected %q, got %q\n", o.mutation.Shows.Expected, o.mutation.Shows.Got)
			fmt.Println(excerpt(o.message, 8))
			if err := messageNamesExpectationAndArrivals(o.message); err != nil {
				fmt.Printf("MESSAGE PROBLEM: %v\n", err)
				escaped++
			}
		}
	}
	fmt.Printf("\n%d of %d mutations caught by their owner spec\n", len(outcomes)-escaped, len(outcomes))
	if escaped > 0 {
		return fmt.Errorf("%d mutation(s) escaped or were caught without a useful message", escaped)
	}
	return nil
}

// messageNamesExpectationAndArrivals checks that a failure says what was expected and what
// actually arrived (the closest span, or that none did).
func messageNamesExpectationAndArrivals(msg string) error {
	if !strings.Contains(msg, "Expected") {
		return fmt.Errorf("the failure message states no expectation")
	}
	if !strings.Contains(msg, "Closest span") && !strings.Contains(msg, "Received ") && !strings.Contains(msg, "but got") {
		return fmt.Errorf("the failure message shows nothing that arrived")
	}
	return nil
}

// listDifferences shows each difference on a line, as expected and got.
func listDifferences(diffs []difference.Difference) string {
	var b strings.Builder
	for _, d := range diffs {
		if d.Expected == "" && d.Got == "" {
			fmt.Fprintf(&b, "  - %s\n", excerpt(d.Shown, 3))
			continue
		}
		fmt.Fprintf(&b, "  - expected %q\n    got      %q\n", d.Expected, d.Got)
	}
	return strings.TrimRight(b.String(), "\n")
}

func excerpt(msg string, lines int) string {
	all := strings.Split(strings.TrimSpace(msg), "\n")
	if len(all) > lines {
		all = append(all[:lines], "...")
	}
	return "  " + strings.Join(all, "\n  ")
}

func names(specs types.SpecReports) []string {
	var out []string
	for _, s := range specs {
		out = append(out, s.FullText())
	}
	return out
}
