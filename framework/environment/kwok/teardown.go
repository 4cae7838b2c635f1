package kwok

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwokconfig"
)

// stopProcesses stops the implementation's processes, the last started first (proxies before
// their controllers; a controller that started proxies stops them), then the echo upstream and
// the bridge.
func (src *source) stopProcesses(_ context.Context, s *cluster.State) error {
	r := src.run
	if r == nil {
		return nil
	}
	var errs []error
	w, err := s.Config.Wait(config.WaitGatewayStop)
	if err != nil {
		return err
	}
	for _, p := range slices.Backward(r.procs) {
		errs = append(errs, p.child.Stop(w.Timeout))
	}
	if r.echo != nil {
		errs = append(errs, r.echo.Close())
	}
	if r.bridge != nil {
		errs = append(errs, r.bridge.Close())
	}
	return errors.Join(errs...)
}

// deleteCluster deletes the cluster and the work directory unless they are kept, closes the
// network namespace and releases the work directory.
func (src *source) deleteCluster(ctx context.Context, s *cluster.State) error {
	r := src.run
	if r == nil {
		return nil
	}
	var errs []error
	keep := s.Config.Cluster.Keep || s.Config.Debug.Enabled
	switch {
	case keep && r.created:
		fmt.Fprintf(
			s.Log,
			"tracegate: keeping kwok cluster %s (its control plane; the implementation's processes ended with the run): "+
				"kubectl --kubeconfig %s ...; "+
				"delete it with KWOK_WORKDIR=%s bin/kwokctl delete cluster --name %s, or let the next run do it\n",
			kwokconfig.Settings(s.Config).Name,
			filepath.Join(r.work, "kubeconfig"),
			filepath.Join(r.work, "kwok"),
			kwokconfig.Settings(s.Config).Name,
		)
	case r.created:
		if err := r.provider.Destroy(ctx); err != nil {
			errs = append(errs, err)
		} else {
			errs = append(errs, removeAll(r.work))
		}
	default:
		errs = append(errs, removeAll(r.work))
	}
	errs = append(errs, r.ns.Close())
	errs = append(errs, r.lock.Close())
	src.run = nil
	return errors.Join(errs...)
}

// removeAll removes a work directory, but never one with a mount below it: the private mount
// namespace of a controller (Envoy Gateway's) binds the machine's directories into a tmpfs under it, and a
// removal that crossed such a mount would delete what it binds.
func removeAll(dir string) error {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	defer f.Close()
	if m := mountsBelow(f, dir); len(m) > 0 {
		return fmt.Errorf("not removing %s: %s is mounted below it", dir, strings.Join(m, ", "))
	}
	return os.RemoveAll(dir)
}

// mountsBelow lists the mount points of a mountinfo table at or below dir.
func mountsBelow(mountinfo io.Reader, dir string) []string {
	var out []string
	sc := bufio.NewScanner(mountinfo)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 4 && (fields[4] == dir || strings.HasPrefix(fields[4], dir+"/")) {
			out = append(out, fields[4])
		}
	}
	return out
}

// Delete deletes what a kept or killed run left of the environment's cluster and work
// directory (make kwok-down); the next run would do it anyway.
func Delete(ctx context.Context, cfg *config.Config) error {
	src, s := &source{}, &cluster.State{Config: cfg, Log: os.Stdout}
	if err := src.preflight(ctx, s); err != nil {
		return err
	}
	defer src.run.lock.Close()
	return removeAll(src.run.work)
}
