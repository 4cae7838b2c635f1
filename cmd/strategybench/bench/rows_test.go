package bench

import (
	"strings"
	"testing"
	"time"
)

func TestRowsAddTheReinstallToEachLogTestAndCountWrongVerdicts(t *testing.T) {
	r := &Result{Gateway: "gw 1", SpanPolling: 50 * time.Millisecond, Store: "a file",
		Tracegate: ms(100, 100), Log: ms(3000, 3000), Ready: ms(200, 400), Count: ms(1000, 1000),
		Overlapped: 2, WrongCount: 1, WrongCountExact: 2}
	out := Table(r.Rows())
	for _, want := range []string{
		"| gw 1 | log scraping per test: reinstall, then the wait | 3200 ms | 3400 ms | 3400 ms | 3300 ms | 33x | - |",
		"| gw 1 | log scraping: collector reinstall, start to ready | 200 ms | 400 ms | 400 ms | 300 ms | - | - |",
		"every 1s | 1000 ms | 1000 ms | 1000 ms | 1000 ms | 10x | 1 of 2 (after > before), 2 of 2 (after - before = 1) |",
		"queried by trace id every 50ms | 100 ms | 100 ms | 100 ms | 100 ms | 1.0x | 0 of 2 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
