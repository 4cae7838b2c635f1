// Package bench measures, against a real gateway, how long a tracing assertion takes to
// pass under tracegate's strategy and under the strategies of other projects' tracing tests.
package bench

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Summary is the distribution of a strategy's latencies to a passing assertion.
type Summary struct {
	N                   int
	P50, P95, Max, Mean time.Duration
}

// Summarize takes nearest-rank percentiles: p95 of 20 samples is the 19th smallest.
func Summarize(ds []time.Duration) Summary {
	if len(ds) == 0 {
		return Summary{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return Summary{N: len(s), P50: rank(s, 50), P95: rank(s, 95), Max: s[len(s)-1], Mean: sum / time.Duration(len(s))}
}

func rank(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i, 1)-1]
}

// Ratio is a/b, the factor by which a is slower than b; 0 when b is 0.
func Ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Row is one line of the strategy table.
type Row struct {
	Gateway  string
	Strategy string
	Latency  Summary
	// Base is tracegate's latency in the same run: the ratio is of the means, the time a test
	// waits on average (a p50 can be a fraction of a millisecond when a gateway exports at once).
	// Zero for no ratio.
	Base Summary
	// False says how many of the overlapped trials gave a wrong verdict ("" when not measured).
	False string
}

// Table renders rows as a Markdown table.
func Table(rows []Row) string {
	var b strings.Builder
	b.WriteString("| gateway | strategy | p50 | p95 | max | mean | mean / tracegate's mean | wrong verdicts with a second client sending |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		ratio := "-"
		if x := Ratio(r.Latency.Mean, r.Base.Mean); x >= 10 {
			ratio = fmt.Sprintf("%.0fx", x)
		} else if x > 0 {
			ratio = fmt.Sprintf("%.1fx", x)
		}
		wrong := r.False
		if wrong == "" {
			wrong = "-"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Gateway, r.Strategy,
			Millis(r.Latency.P50), Millis(r.Latency.P95), Millis(r.Latency.Max), Millis(r.Latency.Mean), ratio, wrong)
	}
	return b.String()
}

// Millis formats d in milliseconds, with one decimal below 100 ms.
func Millis(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms < 100 {
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.0f ms", ms)
}
