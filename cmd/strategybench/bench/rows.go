package bench

import (
	"fmt"
	"time"
)

// Rows are the result's lines of the strategy table, with ratios to tracegate's p50 of the same
// run, and the wrong verdicts of the rounds with a second client sending.
func (r *Result) Rows() []Row {
	base := Summarize(r.Tracegate)
	perTest := make([]time.Duration, len(r.Log))
	for i := range r.Log {
		perTest[i] = r.Ready[i] + r.Log[i]
	}
	of := func(n int) string { return fmt.Sprintf("%d of %d", n, r.Overlapped) }
	return []Row{
		{Gateway: r.Gateway, Strategy: fmt.Sprintf("tracegate: pushed to the suite's receiver, queried by trace id every %s", r.SpanPolling),
			Latency: base, Base: base, False: of(r.WrongTracegate)},
		{
			Gateway:  r.Gateway,
			Strategy: fmt.Sprintf("log scraping: the collector's debug log read back, trace id matched by regex every %s", LogPoll.Polling),
			Latency:  Summarize(r.Log),
			Base:     base,
			False:    of(r.WrongLog),
		},
		{Gateway: r.Gateway, Strategy: "log scraping: collector reinstall, start to ready", Latency: Summarize(r.Ready)},
		{Gateway: r.Gateway, Strategy: "log scraping per test: reinstall, then the wait", Latency: Summarize(perTest), Base: base},
		{
			Gateway: r.Gateway,
			Strategy: fmt.Sprintf(
				"count delta: the gateway's traces counted in a store (%s) before and after, every %s",
				r.Store,
				StorePoll.Polling,
			),
			Latency: Summarize(r.Count),
			Base:    base,
			False:   of(r.WrongCount) + " (after > before), " + of(r.WrongCountExact) + " (after - before = 1)",
		},
	}
}
