package local

import (
	"context"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/onsi/gomega"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// BenchmarkSpanDelay measures, against the real local gateway, the time from a response to
// its span being stored by the receiver, and to a Gomega Eventually asserting it with the
// "span" wait's polling. The exporter's flush delay (exportDelay) is the floor of both.
func BenchmarkSpanDelay(b *testing.B) {
	ctx := context.Background()
	cfg, err := config.Load(os.LookupEnv, tracing.Names())
	if err != nil {
		b.Fatal(err)
	}
	if err := Build(ctx, cfg, io.Discard); err != nil {
		b.Fatal(err)
	}
	env, err := Start(ctx, cfg, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	defer env.Stop(ctx)
	client := request.NewClient(env.GatewayURL(), cfg.Request)
	wait := cfg.MustWait(config.WaitSpan)
	g := gomega.NewWithT(b)
	var stored, asserted []time.Duration
	for b.Loop() {
		rsp := client.Send(ctx, request.Host("delay.example.com"), request.Path("/delay"))
		responded := time.Now()
		if _, err := env.Receiver().Store().WaitFor(ctx, rsp.TraceID(), func(l spans.List) bool { return len(l) > 0 }); err != nil {
			b.Fatal(err)
		}
		stored = append(stored, time.Since(responded))

		rsp = client.Send(ctx, request.Host("delay.example.com"), request.Path("/delay"))
		responded = time.Now()
		g.Eventually(spans.Of(env.Spans(), rsp.TraceID())).WithTimeout(wait.Timeout).WithPolling(wait.Polling).
			Should(spans.HaveSpan(spans.Server()))
		asserted = append(asserted, time.Since(responded))
	}
	b.ReportMetric(percentile(stored, 50), "stored-p50-ms")
	b.ReportMetric(percentile(stored, 95), "stored-p95-ms")
	b.ReportMetric(percentile(asserted, 50), "asserted-p50-ms")
	b.ReportMetric(percentile(asserted, 95), "asserted-p95-ms")
}

func percentile(ds []time.Duration, p int) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	if i > 0 {
		i--
	}
	return float64(s[i].Microseconds()) / 1000
}
