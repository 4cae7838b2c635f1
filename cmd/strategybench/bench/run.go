package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/local"
	"github.com/tracegate/tracegate/framework/request"
)

// Options say how much to measure and with what.
type Options struct {
	N     int           // requests per strategy, and again with a second client sending
	Every time.Duration // how often the second client sends a traced request
	// Collector is the benchmark collector's binary (tools/otelcol/bench.yaml), Jaeger Jaeger's
	// (tools/jaeger); "" for Jaeger stores the traces in the collector's file exporter instead.
	Collector, Jaeger string
	Fixtures          string // the directory of their config templates (fixtures/bench)
	Progress          io.Writer
}

// Result is one gateway's measurements, each strategy's in the same rounds.
type Result struct {
	Gateway     string        // the implementation and its version
	SpanPolling time.Duration // tracegate's polling: the span wait's
	Store       string        // what the count-delta strategy searches
	// Latencies from the response to the passing assertion, and the log-scraping collector's
	// start-to-ready times, N of each.
	Tracegate, Log, Ready, Count []time.Duration
	// Trials with a second client sending, by strategy: their verdicts were judged right or wrong.
	Overlapped                                                  int
	WrongTracegate, WrongLog, WrongCount, WrongCountExact, Sent int
}

// Run starts three gateways of cfg's implementation, the same binary and config: one exporting
// to the suite's receiver (tracegate), one to the log-scraping collector, one to the store.
// Each round sends one request per strategy, in turn, so that load on the machine falls on all
// three alike. A warm-up round goes first and is not counted; then N rounds alone, then N with
// a second client sending through all three gateways.
func Run(ctx context.Context, cfg *config.Config, opt Options) (*Result, error) {
	if err := local.Build(ctx, cfg, opt.Progress); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "tracegate-strategies-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	r, storeName, stop, err := setUp(ctx, cfg, opt, dir)
	defer stop()
	if err != nil {
		return nil, err
	}
	res := &Result{Gateway: cfg.Implementation.Name + " " + cfg.Implementation.Version,
		SpanPolling: cfg.MustWait(config.WaitSpan).Polling, Store: storeName}
	fmt.Fprintf(opt.Progress, "strategies on %s: a warm-up round, %d rounds, %d more with a second client sending every %s\n",
		res.Gateway, opt.N, opt.N, opt.Every)
	if _, err := r.round(ctx); err != nil {
		return nil, fmt.Errorf("warm-up round: %w", err)
	}
	for i := range opt.N {
		tr, err := r.round(ctx)
		if err != nil {
			return nil, fmt.Errorf("round %d: %w", i+1, err)
		}
		for _, x := range tr {
			if !x.Verdict.Passed || x.Verdict.Wrong() {
				return nil, fmt.Errorf("round %d: an assertion failed with no second client sending: %+v", i+1, tr)
			}
		}
		res.Tracegate = append(res.Tracegate, tr[0].Latency)
		res.Log = append(res.Log, tr[1].Latency)
		res.Ready = append(res.Ready, tr[1].Ready)
		res.Count = append(res.Count, tr[2].Latency)
	}
	bg := &background{}
	bgCtx, cancel := context.WithCancel(ctx)
	stopBackground := func() { cancel(); bg.wg.Wait() }
	defer stopBackground()
	for _, sd := range []side{r.t, r.l, r.s} {
		bg.run(bgCtx, sd, opt.Every)
	}
	for i := range opt.N {
		tr, err := r.round(ctx)
		if err != nil {
			return nil, fmt.Errorf("round %d with a second client: %w", i+1, err)
		}
		res.Overlapped++
		res.WrongTracegate += wrong(tr[0].Verdict)
		res.WrongLog += wrong(tr[1].Verdict)
		res.WrongCount += wrong(tr[2].Verdict)
		res.WrongCountExact += wrong(tr[2].Exact)
	}
	stopBackground()
	res.Sent = int(bg.sent.Load())
	return res, bg.err()
}

func wrong(v Verdict) int {
	if v.Wrong() {
		return 1
	}
	return 0
}

// rounds holds what each round needs.
type rounds struct {
	cfg     *config.Config
	t, l, s side
	logCol  *Collector
	store   Store
	service string
	grace   time.Duration
}

// round measures one request under each strategy, in turn.
func (r rounds) round(ctx context.Context) ([3]Trial, error) {
	var tr [3]Trial
	var err error
	if tr[0], err = tracegateTrial(ctx, r.t, r.cfg.MustWait(config.WaitSpan)); err != nil {
		return tr, fmt.Errorf("tracegate: %w", err)
	}
	if tr[1], err = logTrial(ctx, r.l, r.logCol, r.grace); err != nil {
		return tr, fmt.Errorf("log scraping: %w", err)
	}
	if tr[2], err = countTrial(ctx, r.s, r.store, r.service); err != nil {
		return tr, fmt.Errorf("count delta: %w", err)
	}
	return tr, nil
}

// background is the second client: it sends traced requests through each gateway, one every
// interval, as another run of the same tests would.
type background struct {
	wg   sync.WaitGroup
	sent atomic.Int64
	mu   sync.Mutex
	errs []error
}

func (b *background) run(ctx context.Context, s side, every time.Duration) {
	b.wg.Go(func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			rsp := s.client.Send(ctx, request.Host("second-client.example.com"), request.Path("/strategy"))
			if ctx.Err() != nil {
				return
			}
			if rsp.Err != nil || rsp.Status != 200 {
				b.mu.Lock()
				b.errs = append(b.errs, fmt.Errorf("the second client's request failed:\n%s", rsp.Describe()))
				b.mu.Unlock()
				continue
			}
			b.sent.Add(1)
		}
	})
}

func (b *background) err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return errors.Join(b.errs...)
}
