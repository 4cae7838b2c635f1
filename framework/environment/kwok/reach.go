package kwok

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwoktype"
	"github.com/tracegate/tracegate/framework/netns"
)

// Reach implements cluster.Reacher: every Ginkgo process opens the network namespace of
// process 1 by its path and dials the listeners in it.
func (src *source) Reach(_ context.Context, cfg *config.Config, sh cluster.Shared) (cluster.Reach, error) {
	path := sh.Extra["netns"]
	if path == "" {
		return nil, errors.New("process 1 shared no network namespace")
	}
	ns, err := netns.Open(path)
	if err != nil {
		return nil, err
	}
	return &reach{cfg: cfg, sh: sh, ns: ns}, nil
}

type reach struct {
	cfg *config.Config
	sh  cluster.Shared
	ns  *netns.Namespace
}

// GatewayURL implements cluster.Reach.
func (r *reach) GatewayURL(_ context.Context, gateway string) (string, error) {
	port := r.sh.Extra["port."+gateway]
	if port == "" {
		return "", fmt.Errorf("no listener port for Gateway %s", gateway)
	}
	return "http://" + net.JoinHostPort(Address.String(), port), nil
}

// DialContext implements cluster.Reach.
func (r *reach) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return r.ns.DialContext(ctx, network, addr)
}

// Endpoints implements cluster.Reach.
func (r *reach) Endpoints() map[string]string {
	x := r.sh.Extra
	nsenter := "nsenter --net=" + x["netns"]
	out := map[string]string{
		"network namespace": x["netns"] + " (while the suite runs; enter it with " + nsenter + ")",
		"curl":              fmt.Sprintf("%s curl -sv -H 'Host: example.com' http://%s:%s/", nsenter, Address, x["port."+r.cfg.Implementation.Cluster.Gateway]),
		"echo upstream":     x["echo"] + " (in the network namespace)",
		"envoy-gateway log": x["egLog"],
		"envoy runs":        filepath.Join(x["egState"], "envoy-runs") + " (each Envoy's logs and config dump)",
		"kwokctl":           x["kwokctl"] + " --name " + kwoktype.Settings(r.cfg).Name + " get components",
		"envoy admin":       nsenter + " curl -s http://$(cat " + filepath.Join(x["egRuntime"], "*", "admin-address.txt") + ")/config_dump",
	}
	return out
}

// CollectArtifacts implements cluster.Reach: Envoy Gateway's log (Envoy's own output is in it
// too), each Envoy run's files, and each running Envoy's /config_dump through its admin
// address in the network namespace.
func (r *reach) CollectArtifacts(ctx context.Context, dir string) error {
	x := r.sh.Extra
	var errs []error
	if log := x["egLog"]; log != "" {
		errs = append(errs, copyTail(log, filepath.Join(dir, "envoy-gateway.log"), 4<<20))
	}
	runs, _ := filepath.Glob(filepath.Join(x["egState"], "envoy-runs", "*", "*"))
	for _, f := range runs {
		name := "envoy-run-" + filepath.Base(filepath.Dir(f)) + "-" + filepath.Base(f)
		errs = append(errs, copyTail(f, filepath.Join(dir, name), 4<<20))
	}
	admins, _ := filepath.Glob(filepath.Join(x["egRuntime"], "*", "admin-address.txt"))
	client := &http.Client{Transport: &http.Transport{DialContext: r.ns.DialContext, DisableKeepAlives: true}, Timeout: 10 * time.Second}
	for _, a := range admins {
		addr, err := os.ReadFile(a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		run := filepath.Base(filepath.Dir(a))
		errs = append(errs, configDump(ctx, client, strings.TrimSpace(string(addr)), filepath.Join(dir, "envoy-config-dump-"+run+".json")))
	}
	if len(admins) == 0 {
		errs = append(errs, os.WriteFile(filepath.Join(dir, "envoy-config-dump.txt"), []byte("no Envoy admin address under "+x["egRuntime"]+": no Envoy was running\n"), 0o644))
	}
	return errors.Join(errs...)
}

// configDump saves an Envoy's /config_dump, refusing anything but a 200.
func configDump(ctx context.Context, client *http.Client, addr, dest string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/config_dump", nil)
	if err != nil {
		return err
	}
	rsp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("envoy admin %s /config_dump: %w", addr, err)
	}
	defer rsp.Body.Close()
	body, err := io.ReadAll(rsp.Body)
	if err != nil {
		return err
	}
	if rsp.StatusCode != http.StatusOK {
		return fmt.Errorf("envoy admin %s /config_dump answered %s: %.200s", addr, rsp.Status, body)
	}
	return os.WriteFile(dest, body, 0o644)
}

// copyTail copies the last max bytes of a file.
func copyTail(src, dest string, max int64) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > max {
		if _, err := f.Seek(-max, io.SeekEnd); err != nil {
			return err
		}
	}
	out, err := os.Create(dest)
	if err != nil {
		return err
	}
	defer out.Close()
	_, err = io.Copy(out, f)
	return err
}

// Close implements cluster.Reach.
func (r *reach) Close() error { return r.ns.Close() }
