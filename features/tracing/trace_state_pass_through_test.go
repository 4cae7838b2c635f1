package tracing

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
)

// passThroughRowNamed is the pass-through row of that ID.
func passThroughRowNamed(t *testing.T, id string) passThroughRow {
	t.Helper()
	for _, r := range passThroughRows {
		if r.id == id {
			return r
		}
	}
	t.Fatalf("no pass-through row %q", id)
	return passThroughRow{}
}

// A gateway that passes both lines on as they came meets the rules; one that tidies the
// tracestate (drops the white space and the empty member, as a tracer would) breaks the MUST,
// and the failure says what the upstream got; one that traces anyway (a new parent id) breaks
// the traceparent's.
func TestPassThroughRowsWantBothHeadersByteForByte(t *testing.T) {
	r := passThroughRowNamed(t, "ts-pass-through-white-space")
	sent := r.sent(ctxCaller)
	rules := passThroughRules(sent)
	asSent := upstreamGot(t, http.Header{"Traceparent": {sent[0].value}, "Tracestate": {sent[1].value}})
	if broken, _ := rules.judge(asSent); len(broken) != 0 {
		t.Errorf("both lines as sent: broken %+v", broken)
	}
	tidied := upstreamGot(t, http.Header{"Traceparent": {sent[0].value}, "Tracestate": {"foo=1,bar=2"}})
	broken, _ := rules.judge(tidied)
	if len(broken) != 1 || advisory(broken) || !strings.Contains(broken[0].Shown, "(MUST)") ||
		!strings.Contains(broken[0].Got, `the upstream received tracestate ["foo=1,bar=2"]`) {
		t.Errorf("a tidied tracestate: broken %+v, want the tracestate's MUST, saying what the upstream got", broken)
	}
	traced := upstreamGot(t, http.Header{"Traceparent": {continuedBy}, "Tracestate": {sent[1].value}})
	if broken, _ := rules.judge(traced); len(broken) != 1 || !strings.Contains(broken[0].Expected, "traceparent") {
		t.Errorf("a traceparent continued instead of passed on: broken %+v, want the traceparent's rule", broken)
	}
	none := upstreamGot(t, http.Header{"Traceparent": {sent[0].value}})
	if broken, _ := rules.judge(none); len(broken) != 1 || broken[0].Got != "the upstream received no tracestate" {
		t.Errorf("the tracestate dropped: broken %+v", broken)
	}
}

// The rows are not applicable, with the profile's reason, where it says the gateway cannot turn
// tracing off; an environment that can start the variant lists it.
func TestTracingOffUnavailableSaysWhy(t *testing.T) {
	cfg := &config.Config{Environment: config.Environment{Type: config.TypeLocal}, Implementation: config.Implementation{Name: "gw",
		Local: &config.LocalProfile{
			Variants: map[string]config.Variant{contract.TracingOffVariant.Name: {Unavailable: "its tracer is always on"}},
		}}}
	if names := cfg.VariantNames(); len(names) != 0 {
		t.Errorf("VariantNames lists %v, want no unavailable variant", names)
	}
	why := cfg.VariantUnavailable(contract.TracingOffVariant.Name)
	if !strings.Contains(
		why,
		"gw cannot be configured as the variant tracing-off: its tracer is always on (implementations.gw.local.variants.tracing-off.unavailable",
	) {
		t.Errorf("the reason: %q", why)
	}
	cfg.Implementation.Local.Variants = map[string]config.Variant{contract.TracingOffVariant.Name: {}}
	if why := cfg.VariantUnavailable(contract.TracingOffVariant.Name); why != "" {
		t.Errorf("a defined variant: %q, want none", why)
	}
	cfg.Implementation.Local.Variants = nil
	if why := cfg.VariantUnavailable(contract.TracingOffVariant.Name); !strings.Contains(why, "defines no variant tracing-off") {
		t.Errorf("an undefined variant: %q", why)
	}
}
