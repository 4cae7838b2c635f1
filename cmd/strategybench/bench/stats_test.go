package bench

import (
	"strings"
	"testing"
	"time"
)

func ms(ns ...int) []time.Duration {
	var ds []time.Duration
	for _, n := range ns {
		ds = append(ds, time.Duration(n)*time.Millisecond)
	}
	return ds
}

func TestSummarizeTakesNearestRanks(t *testing.T) {
	// 1..20 ms, shuffled: p50 is the 10th, p95 the 19th, max the 20th.
	got := Summarize(ms(20, 3, 19, 1, 2, 18, 4, 5, 17, 6, 7, 16, 8, 9, 15, 10, 11, 14, 12, 13))
	want := Summary{N: 20, P50: 10 * time.Millisecond, P95: 19 * time.Millisecond, Max: 20 * time.Millisecond, Mean: 10500 * time.Microsecond}
	if got != want {
		t.Errorf("Summarize = %+v, want %+v", got, want)
	}
	if got := Summarize(ms(7)); got.P50 != 7*time.Millisecond || got.P95 != 7*time.Millisecond || got.Max != 7*time.Millisecond {
		t.Errorf("one sample: %+v", got)
	}
	if got := Summarize(nil); got != (Summary{}) {
		t.Errorf("no samples: %+v", got)
	}
}

func TestRatio(t *testing.T) {
	if got := Ratio(3*time.Second, 100*time.Millisecond); got != 30 {
		t.Errorf("Ratio(3s, 100ms) = %v, want 30", got)
	}
	if got := Ratio(time.Second, 0); got != 0 {
		t.Errorf("Ratio(1s, 0) = %v, want 0", got)
	}
}

func TestTableShowsRatiosToTheBaseOfTheSameRun(t *testing.T) {
	base := Summarize(ms(100, 110, 120))
	out := Table([]Row{
		{Gateway: "caddy", Strategy: "tracegate", Latency: base, Base: base, False: "0 of 3"},
		{Gateway: "caddy", Strategy: "log", Latency: Summarize(ms(3000, 3050, 3200)), Base: base},
		{Gateway: "caddy", Strategy: "count", Latency: Summarize(ms(100, 200, 300)), Base: base},
		{Gateway: "caddy", Strategy: "reinstall", Latency: Summarize(ms(40, 45, 92))},
	})
	for _, want := range []string{
		"| caddy | tracegate | 110 ms | 120 ms | 120 ms | 110 ms | 1.0x | 0 of 3 |",
		"| caddy | log | 3050 ms | 3200 ms | 3200 ms | 3083 ms | 28x | - |",
		"| caddy | count | 200 ms | 300 ms | 300 ms | 200 ms | 1.8x | - |",
		"| caddy | reinstall | 45.0 ms | 92.0 ms | 92.0 ms | 59.0 ms | - | - |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
