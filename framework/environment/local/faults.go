package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
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

// FaultStatsDirVariable names a directory where each Ginkgo process writes what its fault
// proxies injected, as fault-stats-<pid>.json (a map from path to faultproxy.Stats), when it
// stops: make soak reads them to show a passing run was not passing on a calm network.
const FaultStatsDirVariable = "TRACEGATE_FAULT_STATS_DIR"

// closeProxies stops the proxies, logs what they injected and, when FaultStatsDirVariable is
// set, writes it there.
func (e *Environment) closeProxies() error {
	var errs []error
	stats := map[string]faultproxy.Stats{}
	for _, path := range slices.Sorted(maps.Keys(e.proxies)) {
		p := e.proxies[path]
		errs = append(errs, p.Close())
		s := p.Stats()
		stats[path] = s
		fmt.Fprintf(e.log, "fault proxy stats %s: connections=%d resets=%d delays=%d blackholed=%d\n",
			path, s.Connections, s.Resets, s.Delays, s.Blackholed)
	}
	if dir := os.Getenv(FaultStatsDirVariable); dir != "" && len(stats) > 0 {
		data, err := json.Marshal(stats)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, fmt.Sprintf("fault-stats-%d.json", os.Getpid())), data, 0o644)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
