// Package cluster runs the suite against a Gateway API implementation in a Kubernetes cluster:
// the steps the kind, kwok and existing environments share (CRDs, Helm, the span receiver,
// fixtures, port-forwards, failure artifacts), as one ordered plan that is either printed or run.
package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The phases of a plan, in the order they run.
const (
	PhasePreflight   = "preflight"    // what must answer before anything slow starts
	PhaseTools       = "tools"        // the pinned CLIs the project builds itself
	PhaseCluster     = "cluster"      // create, reuse or find the cluster
	PhaseCRDs        = "crds"         // Gateway API CRDs
	PhaseHelm        = "helm"         // the implementation's charts
	PhaseInstall     = "install"      // cluster-scoped manifests such as the GatewayClass
	PhaseReceiver    = "receiver"     // the OTLP receiver the in-cluster gateway exports to
	PhaseFixtures    = "fixtures"     // the run's namespace and everything in it
	PhasePortForward = "port-forward" // each Ginkgo process reaches its gateway
	PhaseTeardown    = "teardown"     // what the run created is removed
)

// Step is one thing a run does. A step without a function is carried out elsewhere (by each
// process's Connect, or on failure) and is listed so the plan tells the whole story.
type Step struct {
	Phase string
	What  string
	run   func(ctx context.Context, s *State) error
}

// NewStep returns a step that runs f; f may be nil for a step that is only described.
func NewStep(phase, what string, f func(ctx context.Context, s *State) error) Step {
	return Step{Phase: phase, What: what, run: f}
}

// Plan is the ordered list of steps of a run.
type Plan []Step

// String renders the plan, one numbered step per line.
func (p Plan) String() string {
	var b strings.Builder
	for i, s := range p {
		fmt.Fprintf(&b, "%2d. [%s] %s\n", i+1, s.Phase, s.What)
	}
	return b.String()
}

// Phases lists the phases of the plan in order, each once.
func (p Plan) Phases() []string {
	var out []string
	for _, s := range p {
		if len(out) == 0 || out[len(out)-1] != s.Phase {
			out = append(out, s.Phase)
		}
	}
	return out
}

// run carries out the steps of the given phases in order, stopping at the first error.
func (p Plan) run(ctx context.Context, s *State, phases ...string) error {
	for i, step := range p {
		if step.run == nil || !contains(phases, step.Phase) {
			continue
		}
		fmt.Fprintf(s.Log, "tracegate: step %d [%s] %s\n", i+1, step.Phase, step.What)
		if s.Progress != nil {
			fmt.Fprintf(s.Progress, "tracegate: step %d [%s] %s ...\n", i+1, step.Phase, short(step.What))
		}
		start := time.Now()
		if err := step.run(ctx, s); err != nil {
			return fmt.Errorf("step %d [%s] %s: %w", i+1, step.Phase, step.What, err)
		}
		took := time.Since(start).Round(10 * time.Millisecond)
		fmt.Fprintf(s.Log, "tracegate: step %d done in %s\n", i+1, took)
		if s.Progress != nil {
			fmt.Fprintf(s.Progress, "tracegate: step %d done in %s\n", i+1, took)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// short is a step's description cut to one terminal line for progress.
func short(what string) string {
	if r := []rune(what); len(r) > 110 {
		return string(r[:107]) + "..."
	}
	return what
}
