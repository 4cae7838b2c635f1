package main

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Select returns the catalogue's mutations named in names, in the catalogue's order; all of
// them when names is empty. An unknown name is an error listing the known ones.
func (c *Catalogue) Select(names []string) ([]Mutation, error) {
	if len(names) == 0 {
		return c.Mutations, nil
	}
	var known []string
	for _, m := range c.Mutations {
		known = append(known, m.Name)
	}
	for _, n := range names {
		if !slices.Contains(known, n) {
			return nil, fmt.Errorf("-only: no mutation %q in the %s catalogue; known: %s", n, c.Implementation, strings.Join(known, ", "))
		}
	}
	var out []Mutation
	for _, m := range c.Mutations {
		if slices.Contains(names, m.Name) {
			out = append(out, m)
		}
	}
	return out, nil
}

// verdict is one run of a mutation: caught by its owner spec (failed showing the mutation's
// difference), escaped (the owner passed: a false pass), or a run that could not judge (an
// error, the owner not run, or failed for another reason).
func (o outcome) verdict() string {
	switch {
	case o.err != nil:
		return "run error: " + o.err.Error()
	case o.caught:
		return "caught"
	case o.ownerFailed:
		return fmt.Sprintf("owner failed without the difference (expected %q, got %q)", o.mutation.Shows.Expected, o.mutation.Shows.Got)
	case !o.ownerPassed:
		return "owner spec not run"
	default:
		return "ESCAPED"
	}
}

// tally counts the verdicts of one mutation run many times.
type tally struct {
	name                    string // outcome.name
	mutation                Mutation
	runs, caught, escaped   int
	unjudged, otherFailures int            // runs that could not judge; failed specs other than the owner
	others                  map[string]int // those specs by full text, with how many runs each failed in
	firstUnjudg             string
}

// tallies counts the outcomes of each mutation, in the order of each one's first outcome.
func tallies(outcomes []outcome) []tally {
	var out []tally
	at := map[string]int{}
	for _, o := range outcomes {
		i, ok := at[o.name()]
		if !ok {
			i, at[o.name()] = len(out), len(out)
			out = append(out, tally{name: o.name(), mutation: o.mutation})
		}
		out[i].add(o)
	}
	return out
}

func (t *tally) add(o outcome) {
	t.runs++
	switch v := o.verdict(); v {
	case "caught":
		t.caught++
	case "ESCAPED":
		t.escaped++
	default:
		t.unjudged++
		if t.firstUnjudg == "" {
			t.firstUnjudg = v
		}
	}
	for _, s := range o.failed {
		if s.FullText() != o.mutation.Owner {
			t.otherFailures++
			if t.others == nil {
				t.others = map[string]int{}
			}
			t.others[s.FullText()]++
		}
	}
}

// reportTallies prints the escape rate of each mutation and fails if any escaped or could not
// be judged in some run.
func reportTallies(tallies []tally, env string, runs int) error {
	fmt.Printf(
		"\n%s, environment %s, %d runs per mutation\n",
		time.Now().UTC().Format("2006-01-02"),
		cmp.Or(env, "each catalogue's own"),
		runs,
	)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MUTATION\tRUNS\tCAUGHT\tESCAPED (FALSE PASS)\tNOT JUDGED\tOTHER SPECS FAILED")
	bad := 0
	for _, t := range tallies {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\n", t.name, t.runs, t.caught, t.escaped, t.unjudged, t.otherFailures)
		bad += t.escaped + t.unjudged
	}
	tw.Flush()
	for _, t := range tallies {
		if t.firstUnjudg != "" {
			fmt.Printf("%s: first run not judged: %s\n", t.name, t.firstUnjudg)
		}
		for _, spec := range slices.Sorted(maps.Keys(t.others)) {
			fmt.Printf("%s: also failed in %d run(s): %s\n", t.name, t.others[spec], spec)
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d run(s) escaped or could not be judged", bad)
	}
	return nil
}
