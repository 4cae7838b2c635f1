package local

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/faultproxy"
)

// faultsFor converts a configured fault path into proxy settings.
func faultsFor(p *config.FaultPath) faultproxy.Faults {
	return faultproxy.Faults{
		LatencyProbability: p.LatencyProbability, LatencyMin: p.LatencyMin, LatencyMax: p.LatencyMax,
		ResetFraction: p.ResetFraction, BlackholeEvery: p.BlackholeEvery, BlackholeFor: p.BlackholeFor,
	}
}

// faultSeed is logged so a failing fault pattern can be told apart from a real bug.
var faultSeed = uint64(time.Now().UnixNano())

// proxyIfFaulty puts a fault proxy in front of target when the path has faults, and returns the
// address to use instead of target.
func (e *Environment) proxyIfFaulty(path string, p *config.FaultPath, target string) (string, error) {
	if p == nil {
		return target, nil
	}
	proxy, err := faultproxy.Start("127.0.0.1:0", target, faultsFor(p), faultSeed+uint64(len(e.proxies)))
	if err != nil {
		return "", fmt.Errorf("starting the %s fault proxy: %w", path, err)
	}
	e.proxies[path] = proxy
	fmt.Fprintf(e.log, "fault proxy on the %s path: %s -> %s (seed %d)\n", path, proxy.Addr(), target, faultSeed)
	return proxy.Addr(), nil
}

// closeProxies stops the proxies and prints what they injected, so a soak run that passed can
// show it was not passing on a calm network.
func (e *Environment) closeProxies() error {
	var errs []error
	for _, path := range slices.Sorted(maps.Keys(e.proxies)) {
		p := e.proxies[path]
		errs = append(errs, p.Close())
		s := p.Stats()
		fmt.Fprintf(os.Stdout, "fault proxy stats %s: connections=%d resets=%d delays=%d blackholed=%d\n",
			path, s.Connections, s.Resets, s.Delays, s.Blackholed)
	}
	return errors.Join(errs...)
}
