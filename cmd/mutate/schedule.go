package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// job is one run of one mutation of one catalogue.
type job struct {
	cat *Catalogue
	m   Mutation
	// run counts from 1 up to -runs.
	run int
	// profile is the mutated profile the run uses (E2E_PROFILE).
	profile string
	// procs is the run's Ginkgo processes: the mutation's own, or -procs.
	procs int
}

// name is the mutation's name with its implementation, as the tables show it.
func (j job) name() string { return j.cat.Implementation + "/" + j.m.Name }

// runJobs runs each job with do, at most parallel at once, and returns the outcomes in the
// jobs' own order. Jobs start with the runs given the most processes (a mutation is given more
// when most specs wait out their span wait: these are the longest runs), then in catalogue
// order, which keeps the longest off the end of the whole run. done is called as each job ends, one call at a time.
// A job not started when ctx ends is left out of the result.
func runJobs(ctx context.Context, jobs []job, parallel int, do func(job) outcome, done func(job, outcome)) []outcome {
	index := map[*job]int{}
	for i := range jobs {
		index[&jobs[i]] = i
	}
	queue := make([]*job, len(jobs))
	for i := range jobs {
		queue[i] = &jobs[i]
	}
	slices.SortStableFunc(queue, func(a, b *job) int { return cmp.Compare(b.procs, a.procs) })

	results := make([]*outcome, len(jobs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(parallel, 1))
	for _, j := range queue {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			out := do(*j)
			mu.Lock()
			defer mu.Unlock()
			results[index[j]] = &out
			if done != nil {
				done(*j, out)
			}
		}()
	}
	wg.Wait()
	var out []outcome
	for _, r := range results {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out
}

// progress is the line printed as a run ends: what it was, its verdict, and how far along the
// whole command is.
func progress(j job, o outcome, finished, total int) string {
	return fmt.Sprintf("[%d/%d] %s run %d (%d processes): %s, %d spec(s) failed, %s",
		finished, total, j.name(), j.run, j.procs, o.verdict(), len(o.failed), o.took.Round(100*time.Millisecond))
}
