package tracing

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/tracegate/tracegate/framework/request"
)

// VerdictTimesVariable names a file that, when set, gets one line per span assertion made for a
// response: the milliseconds from the response to the assertion's verdict, pass or fail, and
// the spec. It is how BENCHMARKS.md measures response-to-verdict time (scripts/verdict-times.sh
// gives p50 and p99); a run without it writes nothing.
const VerdictTimesVariable = "E2E_VERDICT_TIMES"

var verdictTimes sync.Mutex

// recordVerdict appends the time from rsp to now to the file E2E_VERDICT_TIMES names, if any.
// Lines are appended whole (O_APPEND), so parallel processes may share the file.
func recordVerdict(rsp *request.Response, passed bool) {
	path := os.Getenv(VerdictTimesVariable)
	if path == "" || rsp == nil || rsp.Received.IsZero() {
		return
	}
	verdict := "fail"
	if passed {
		verdict = "pass"
	}
	line := fmt.Sprintf("%.3f\t%s\t%s\n", float64(time.Since(rsp.Received).Microseconds())/1000, verdict,
		strings.ReplaceAll(CurrentSpecReport().FullText(), "\t", " "))
	verdictTimes.Lock()
	defer verdictTimes.Unlock()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		GinkgoWriter.Printf("%s: %v\n", VerdictTimesVariable, err)
		return
	}
	defer f.Close()
	_, _ = f.WriteString(line)
}
