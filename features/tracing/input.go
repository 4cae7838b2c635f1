// Package tracing holds the tracing feature specs: reusable Describe bodies, each labelled with
// the feature it checks, that any suite can wire to any environment.
package tracing

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// Input is what every tracing spec needs. Suites pass a function returning it, because the
// environment only exists once the suite has started.
type Input struct {
	// Gateway sends requests through the gateway under test.
	Gateway *request.Client
	// Spans is where the spans the gateway exported are looked up.
	Spans spans.Source
	// Config supplies the named waits.
	Config *config.Config
}

func (in Input) validate(spec string) {
	Expect(in.Gateway).NotTo(BeNil(), "Input.Gateway can't be nil when calling the %s spec", spec)
	Expect(in.Spans).NotTo(BeNil(), "Input.Spans can't be nil when calling the %s spec", spec)
	Expect(in.Config).NotTo(BeNil(), "Input.Config can't be nil when calling the %s spec", spec)
}

// EventuallySpans polls the spans of the response's trace within the named wait "span".
func (in Input) EventuallySpans(ctx context.Context, rsp *request.Response) types.AsyncAssertion {
	w := in.Config.MustWait("span")
	return Eventually(ctx, spans.Of(in.Spans, rsp.TraceID())).WithTimeout(w.Timeout).WithPolling(w.Polling)
}

// Label names a feature for label filters (Feature: containsAny {SpanName}) and for the
// capability profile check that skips unsupported features.
func featureLabel(name string) Labels { return Label("tracing", "Feature:"+name) }
