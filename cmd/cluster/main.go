// Command cluster prints the plan of a cluster environment and brings a kind cluster up or down
// outside a suite run: `make plan ENV=kind`, `make kind-up`, `make kind-down`, `make kwok-down`.
//
//	plan  print the ordered steps a run of E2E_ENV would take, touching nothing
//	up    create (or reuse) the kind cluster and install the CRDs and the implementation; the
//	      cluster stays, and suite runs reuse it until kind-down
//	down  delete the kind cluster, or what a kept or killed kwok run left
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	_ "github.com/tracegate/tracegate/framework/environment/existing"
	"github.com/tracegate/tracegate/framework/environment/kind"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
	"github.com/tracegate/tracegate/framework/environment/kwok"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwokconfig"
)

func main() {
	if len(os.Args) != 2 {
		fail("usage: cluster plan|up|down (the environment is E2E_ENV, or the config's default)")
	}
	cfg, err := config.Load(os.LookupEnv, tracing.Names())
	if err != nil {
		fail("invalid tracegate config:\n%v", err)
	}
	t, err := environment.Lookup(cfg.Environment.Type)
	if err != nil {
		fail("%v", err)
	}
	p, ok := t.New(cfg, os.Stdout, nil).(*cluster.Provider)
	if !ok {
		fail("environment %q is of type %s, which has no cluster to plan or bring up (E2E_ENV=kwok)", cfg.Environment.Name, cfg.Environment.Type)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch os.Args[1] {
	case "plan":
		fmt.Printf(
			"tracegate plan for environment %s (%s, implementation %s):\n%s",
			cfg.Environment.Name,
			cfg.Environment.Type,
			cfg.Implementation.Name,
			p.Plan(),
		)
	case "up":
		if kindconfig.Settings(cfg) == nil {
			fail("up needs a kind environment; %q is %s", cfg.Environment.Name, cfg.Environment.Type)
		}
		if err := p.Install(ctx); err != nil {
			fail("%v", err)
		}
		if err := kind.Keep(ctx, cfg); err != nil { // runs reuse it and leave it
			fail("%v", err)
		}
		fmt.Printf("kind cluster %s is up with %s installed; make e2e ENV=%s reuses it, make kind-down deletes it\n",
			kindconfig.Settings(cfg).Name, cfg.Implementation.Name, cfg.Environment.Name)
	case "down":
		switch {
		case kindconfig.Settings(cfg) != nil:
			err = kind.Delete(ctx, cfg)
		case kwokconfig.Settings(cfg) != nil:
			err = kwok.Delete(ctx, cfg)
		default:
			fail("down needs a kind or kwok environment; %q is %s", cfg.Environment.Name, cfg.Environment.Type)
		}
		if err != nil {
			fail("%v", err)
		}
	default:
		fail("unknown command %q: use plan, up or down", os.Args[1])
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "cluster: "+format+"\n", args...)
	os.Exit(1)
}
