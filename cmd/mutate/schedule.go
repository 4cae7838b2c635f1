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

// runJobs runs each job with do, at most parallel at once, and returns the outcomes in the
// jobs' own order. Jobs start with the runs given the most processes (a mutation is given more
// when most specs wait out their span wait: these are the longest runs), then in catalogue
// order, which keeps the longest off the end of the whole run. done is called as each job
// ends, one call at a time. A job not started when ctx ends is left out of the result.
func runJobs(ctx context.Context, jobs []job, parallel int, do func(job) outcome, done func(job, outcome)) []outcome {
	queue := make([]int, len(jobs)) // indices into jobs, in the order they start
	for i := range queue {
		queue[i] = i
	}
	slices.SortStableFunc(queue, func(a, b int) int { return cmp.Compare(jobs[b].procs, jobs[a].procs) })

	results := make([]*outcome, len(jobs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(parallel, 1))
	for _, i := range queue {
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
			out := do(jobs[i])
			mu.Lock()
			defer mu.Unlock()
			results[i] = &out
			if done != nil {
				done(jobs[i], out)
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
		finished, total, o.name(), j.run, j.procs, o.verdict(), len(o.failed), o.took.Round(100*time.Millisecond))
}
