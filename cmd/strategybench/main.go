// Command strategybench prints the strategy table of BENCHMARKS.md: how long a tracing assertion
// takes to pass with tracegate's strategy and with the peers', on real gateways, in one run.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/tracegate/tracegate/cmd/strategybench/bench"
	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
	_ "github.com/tracegate/tracegate/framework/environment/configs" // the cluster types of ginkgo.yaml
)

func main() {
	envs := flag.String("env", "local,envoy", "environments of ginkgo.yaml to measure, comma-separated (local ones only)")
	n := flag.Int("n", 20, "requests per strategy and environment, and as many again with a second client sending")
	every := flag.Duration("every", 200*time.Millisecond, "how often the second client sends a traced request through each gateway")
	collector := flag.String(
		"collector",
		"bin/otelcol-bench-build/otelcol-bench",
		"the benchmark collector (tools/otelcol/bench.yaml), relative to ginkgo.yaml's directory",
	)
	store := flag.String("store", "jaeger", "the count-delta strategy's trace store: jaeger, or file (the collector's file exporter)")
	jaeger := flag.String("jaeger", "bin/jaeger", "Jaeger v2 (tools/jaeger), relative to ginkgo.yaml's directory")
	fixtures := flag.String("fixtures", "fixtures/bench", "the collectors' config templates, relative to ginkgo.yaml's directory")
	flag.Parse()
	switch *store {
	case "jaeger":
	case "file":
		*jaeger = ""
	default:
		fmt.Fprintf(os.Stderr, "strategybench: -store %s: want jaeger or file\n", *store)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var rows []bench.Row
	for _, env := range strings.Split(*envs, ",") {
		res, err := measure(ctx, env, bench.Options{
			N:         *n,
			Every:     *every,
			Collector: *collector,
			Jaeger:    *jaeger,
			Fixtures:  *fixtures,
			Progress:  os.Stderr,
		})
		if err != nil {
			fmt.Fprintf(os.Stderr, "strategybench: environment %s: %v\n", env, err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "strategies on %s: done; the second client sent %d requests through its three gateways\n", res.Gateway, res.Sent)
		rows = append(rows, res.Rows()...)
	}
	fmt.Print(bench.Table(rows))
}

// measure runs the strategies in one environment, its configuration loaded as the suite's is.
func measure(ctx context.Context, env string, opt bench.Options) (*bench.Result, error) {
	lookup := func(k string) (string, bool) {
		if k == "E2E_ENV" {
			return env, true
		}
		return os.LookupEnv(k)
	}
	cfg, err := config.Load(lookup, tracing.Names())
	if err != nil {
		return nil, err
	}
	if cfg.Environment.Type != "local" {
		return nil, fmt.Errorf("environment %s is of type %s; the strategy benchmark runs local gateways only", env, cfg.Environment.Type)
	}
	for _, p := range []*string{&opt.Collector, &opt.Jaeger, &opt.Fixtures} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(cfg.Dir, *p)
		}
	}
	return bench.Run(ctx, cfg, opt)
}
