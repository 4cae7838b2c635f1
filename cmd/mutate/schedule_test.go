package main

import (
	"context"
	"slices"
	"sync"
	"testing"
)

// runJobs starts the jobs given the most processes first, then in their own order, and returns
// every outcome in the jobs' own order.
func TestRunJobsLongestFirst(t *testing.T) {
	jobs := jobsWithProcs(2, 2, 32, 2, 16, 2)
	var started []string
	outcomes := runJobs(context.Background(), jobs, 1, func(j job) outcome {
		started = append(started, j.m.Name)
		return outcome{mutation: j.m, implementation: j.cat.Implementation}
	}, nil)
	if want := []string{"c", "e", "a", "b", "d", "f"}; !slices.Equal(started, want) {
		t.Errorf("started %v, want %v (the most processes first)", started, want)
	}
	var names []string
	for _, o := range outcomes {
		names = append(names, o.name())
	}
	if want := []string{"envoy/a", "envoy/b", "envoy/c", "envoy/d", "envoy/e", "envoy/f"}; !slices.Equal(names, want) {
		t.Errorf("outcomes %v, want the jobs' order %v", names, want)
	}
}

// runJobs keeps parallel jobs running while there are jobs left, never more, and calls done
// once a job.
func TestRunJobsParallel(t *testing.T) {
	const parallel = 2
	jobs := jobsWithProcs(1, 1, 1, 1, 1)
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	var running []string // started and not yet released
	released := map[string]bool{}
	most, done := 0, 0
	finished := make(chan []outcome)
	go func() {
		finished <- runJobs(context.Background(), jobs, parallel, func(j job) outcome {
			mu.Lock()
			defer mu.Unlock()
			running = append(running, j.m.Name)
			most = max(most, len(running))
			cond.Broadcast()
			for !released[j.m.Name] {
				cond.Wait()
			}
			return outcome{mutation: j.m}
		}, func(job, outcome) { done++ })
	}()
	for left := len(jobs); left > 0; left-- {
		mu.Lock()
		for len(running) < min(parallel, left) {
			cond.Wait()
		}
		released[running[0]], running = true, running[1:]
		cond.Broadcast()
		mu.Unlock()
	}
	if outcomes := <-finished; len(outcomes) != len(jobs) || done != len(jobs) {
		t.Errorf("%d outcomes, done called %d times; want %d each", len(outcomes), done, len(jobs))
	}
	if most != parallel {
		t.Errorf("at most %d jobs ran at once, want %d", most, parallel)
	}
}

// jobsWithProcs are envoy jobs named a, b, c... with these processes.
func jobsWithProcs(procs ...int) []job {
	cat := &Catalogue{Implementation: "envoy"}
	var jobs []job
	for i, p := range procs {
		jobs = append(jobs, job{cat: cat, m: Mutation{Name: string(rune('a' + i))}, run: 1, procs: p})
	}
	return jobs
}

// Once the context ends, no further job starts, and the outcomes are those of the jobs that ran.
func TestRunJobsStopsStartingWhenCancelled(t *testing.T) {
	cat := &Catalogue{Implementation: "caddy"}
	jobs := []job{{cat: cat, m: Mutation{Name: "a"}, procs: 1}, {cat: cat, m: Mutation{Name: "b"}, procs: 1}}
	ctx, cancel := context.WithCancel(context.Background())
	outcomes := runJobs(ctx, jobs, 1, func(j job) outcome {
		cancel()
		return outcome{mutation: j.m, implementation: j.cat.Implementation}
	}, nil)
	if len(outcomes) != 1 || outcomes[0].mutation.Name != "a" {
		t.Errorf("outcomes %+v, want only a's", outcomes)
	}
}

// Several runs of a mutation count as one tally, in the order the mutations first appear.
func TestTalliesGroupRunsByMutation(t *testing.T) {
	a, b := Mutation{Name: "a"}, Mutation{Name: "b"}
	got := tallies([]outcome{
		{mutation: a, implementation: "envoy", caught: true},
		{mutation: b, implementation: "envoy", ownerPassed: true},
		{mutation: a, implementation: "envoy", caught: true},
		{mutation: a, implementation: "caddy", ownerPassed: true},
	})
	if len(got) != 3 || got[0].name != "envoy/a" || got[0].runs != 2 || got[0].caught != 2 ||
		got[1].name != "envoy/b" || got[1].escaped != 1 || got[2].name != "caddy/a" || got[2].escaped != 1 {
		t.Errorf("tallies %+v", got)
	}
}
