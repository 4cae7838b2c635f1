package config

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// WaitName names a wait in ginkgo.yaml (waits.<env>.<name>). The names are the constants below,
// each with its built-in default in defaults.go, and those the environment types register
// (RegisterType); ginkgo.yaml may set only these (KnownWaits).
type WaitName string

// KnownWaits returns the wait names ginkgo.yaml may set, sorted: those with a built-in default.
func KnownWaits() []WaitName {
	return slices.Sorted(func(yield func(WaitName) bool) {
		for name := range defaults().File.Waits["default"] {
			if !yield(WaitName(name)) {
				return
			}
		}
	})
}

// The named waits of every environment.
const (
	WaitGatewayReady     WaitName = "gatewayReady"     // a local gateway process answering its ready path
	WaitGatewayStop      WaitName = "gatewayStop"      // SIGTERM to SIGKILL
	WaitSpan             WaitName = "span"             // a span arriving after its response
	WaitAbsence          WaitName = "absence"          // the window Consistently watches for "no span"
	WaitRequestConverged WaitName = "requestConverged" // the gateway answering consecutiveSuccesses times in a row
	// WaitLateSpan is how long the suite keeps listening after the span wait ran out, to tell a
	// span that arrived late from one that never arrives.
	WaitLateSpan WaitName = "lateSpan"
	// WaitFailureBundle bounds writing a failed spec's artifacts (logs, config dumps), on top
	// of the debug pause.
	WaitFailureBundle WaitName = "failureBundle"
)

// Wait is a resolved named wait: Timeout is already multiplied by the timeout scale, Polling
// is not.
type Wait struct {
	Name    WaitName
	Timeout time.Duration
	Polling time.Duration
	// Source is where the timeout was set: "waits.<env>.<name>", "waits.default.<name>", or
	// "the built-in default" when the file does not set it.
	Source string
	// Scale is the timeout scale the timeout was multiplied by (timeoutScale, E2E_TIMEOUT_SCALE).
	Scale float64
}

// Describe names the wait for messages: "span (timeout 10s from waits.default.span, polling 50ms)",
// with the scale when it is not 1.
func (w Wait) Describe() string {
	scale := ""
	if w.Scale != 1 && w.Scale != 0 {
		scale = fmt.Sprintf(", scaled x%s by the timeout scale", formatFloat(w.Scale))
	}
	return fmt.Sprintf("%s (timeout %s from %s%s, polling %s)", w.Name, human(w.Timeout), w.Source, scale, human(w.Polling))
}

// Wait returns the named wait of the environment, its timeout scaled.
func (c *Config) Wait(name WaitName) (Wait, error) {
	if w, ok := c.waits[name]; ok {
		return w, nil
	}
	return Wait{}, fmt.Errorf("wait %q is not defined for environment %q in %s (waits.default.%s or waits.%s.%s); defined: %s",
		name, c.Environment.Name, c.File, name, c.Environment.Name, name, list(c.WaitNames()))
}

// MustWait is Wait for specs: an unknown name panics, and Ginkgo reports the panic.
func (c *Config) MustWait(name WaitName) Wait {
	w, err := c.Wait(name)
	if err != nil {
		panic(err)
	}
	return w
}

// WaitNames returns the names of the waits defined for the environment, sorted.
func (c *Config) WaitNames() []WaitName { return slices.Sorted(maps.Keys(c.waits)) }
