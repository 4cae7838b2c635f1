package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/local"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
	"github.com/tracegate/tracegate/framework/wait"
)

// The peers' polling, as their tests hard-code it.
var (
	// LogPoll: kgateway's tracing tests read the collector's log every 3 s, for up to 30 s.
	LogPoll = config.Wait{Name: "logPoll", Timeout: 30 * time.Second, Polling: 3 * time.Second, Source: "kgateway's tracing tests"}
	// StorePoll: Envoy Gateway's tracing tests search the store every second, for up to 15 s.
	StorePoll = config.Wait{Name: "storePoll", Timeout: 15 * time.Second, Polling: time.Second, Source: "Envoy Gateway's tracing tests"}
)

// Trial is one request measured under one strategy.
type Trial struct {
	// Latency runs from the response to the check that passed (or to the end of the timeout).
	Latency time.Duration
	Verdict Verdict
	// Ready is the collector's start-to-ready time before the request (log scraping only).
	Ready time.Duration
	// Exact is the verdict of the count delta's exact form, judged on the same reads.
	Exact Verdict
}

// side is one gateway process and the client sending through it.
type side struct {
	env    *local.Environment
	client *request.Client
}

// send sends a traced request and fails unless the gateway answered 200.
func (s side) send(ctx context.Context, host string) (*request.Response, error) {
	rsp := s.client.Send(ctx, request.Host(host), request.Path("/strategy"))
	if rsp.Err != nil || rsp.Status != 200 {
		return nil, fmt.Errorf("a request through the gateway failed:\n%s", rsp.Describe())
	}
	return rsp, nil
}

// tracegateTrial: the request's spans are pushed to the suite's receiver and looked up by its
// trace id with Gomega's Eventually on the span wait, as every spec does.
func tracegateTrial(ctx context.Context, s side, w config.Wait) (Trial, error) {
	rsp, err := s.send(ctx, "strategy.example.com")
	if err != nil {
		return Trial{}, err
	}
	g := gomega.NewGomega(func(string, ...int) {})
	passed := g.Eventually(spans.Of(s.env.Spans(), rsp.TraceID())).WithContext(ctx).WithTimeout(w.Timeout).WithPolling(w.Polling).
		Should(spans.HaveSpan(spans.Server()))
	lat := time.Since(rsp.Received)
	return Trial{Latency: lat, Verdict: Verdict{Passed: passed, Own: len(s.env.Spans().Trace(rsp.TraceID())) > 0}}, nil
}

// logTrial: the collector is reinstalled (stopped, started with an empty log, waited for), then
// its log is read back and searched for the request's trace id every LogPoll.Polling.
func logTrial(ctx context.Context, s side, c *Collector, grace time.Duration) (Trial, error) {
	if err := c.Stop(grace); err != nil {
		return Trial{}, err
	}
	ready, err := c.Start(ctx)
	if err != nil {
		return Trial{}, err
	}
	rsp, err := s.send(ctx, "strategy.example.com")
	if err != nil {
		return Trial{}, err
	}
	id := rsp.TraceID()
	err = wait.For(ctx, LogPoll, "trace "+id+" in the collector's log", func(context.Context) (bool, string, error) {
		log, err := c.Log()
		if err != nil {
			return false, "", err
		}
		return TraceLogged(log, id), fmt.Sprintf("%d bytes of log without it", len(log)), nil
	})
	lat := time.Since(rsp.Received)
	if err != nil && !wait.IsTimeout(err) {
		return Trial{}, err
	}
	log, _ := c.Log()
	return Trial{Latency: lat, Ready: ready, Verdict: Verdict{Passed: err == nil, Own: TraceLogged(log, id)}}, nil
}

// countTrial: the store's traces of the gateway's service are counted before the request, then
// every StorePoll.Polling until the count has grown.
func countTrial(ctx context.Context, s side, store Store, service string) (Trial, error) {
	snap, err := store.Search(ctx, service)
	if err != nil {
		return Trial{}, err
	}
	before := snap.Count(service)
	rsp, err := s.send(ctx, "strategy.example.com")
	if err != nil {
		return Trial{}, err
	}
	id := rsp.TraceID()
	grown, exact := CountDelta{Before: before}, CountDelta{Before: before, Exact: true}
	var t Trial
	err = wait.For(
		ctx,
		StorePoll,
		fmt.Sprintf("the count of %s's traces to exceed %d", service, before),
		func(context.Context) (bool, string, error) {
			snap, err := store.Search(ctx, service)
			if err != nil {
				return false, "", err
			}
			after := snap.Count(service)
			done, passed := grown.Decide(after)
			if done {
				t.Latency = time.Since(rsp.Received)
				t.Verdict = Verdict{Passed: passed, Own: snap.Has(id)}
				_, exactPassed := exact.Decide(after)
				t.Exact = Verdict{Passed: exactPassed, Own: snap.Has(id)}
			}
			return done, fmt.Sprintf("%d traces", after), nil
		},
	)
	if err != nil && !wait.IsTimeout(err) {
		return Trial{}, err
	}
	if err != nil {
		t.Latency = time.Since(rsp.Received)
	}
	// A failure is wrong if the trace arrives within the timeout after all: wait for it the rest
	// of the way, reading the store directly.
	if !t.Exact.Passed && !t.Exact.Own {
		left := max(StorePoll.Timeout-time.Since(rsp.Received), time.Millisecond)
		arrived := wait.For(ctx, config.Wait{Name: "groundTruth", Timeout: left, Polling: 20 * time.Millisecond},
			"trace "+id+" in the store", func(context.Context) (bool, string, error) {
				snap, err := store.Search(ctx, service)
				return err == nil && snap.Has(id), "", nil
			}) == nil
		t.Exact.Own = arrived
		if !t.Verdict.Passed {
			t.Verdict.Own = arrived
		}
	}
	return t, nil
}
