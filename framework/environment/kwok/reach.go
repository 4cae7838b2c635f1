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
	"strconv"
	"strings"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwokconfig"
	"github.com/tracegate/tracegate/framework/netns"
)

// Reach implements cluster.Network: every Ginkgo process opens the network namespace of
// process 1 by its path and dials the listeners in it.
func (src *source) Reach(_ context.Context, cfg *config.Config, sh cluster.Shared) (cluster.Reach, error) {
	var own share
	if err := sh.ReadOwn(&own); err != nil {
		return nil, err
	}
	if own.Netns == "" {
		return nil, errors.New("process 1 shared no network namespace")
	}
	ns, err := netns.Open(own.Netns)
	if err != nil {
		return nil, err
	}
	return &reach{cfg: cfg, own: own, ns: ns}, nil
}

type reach struct {
	cfg *config.Config
	own share
	ns  *netns.Namespace
}

// GatewayURL implements cluster.Reach.
func (r *reach) GatewayURL(_ context.Context, gateway string) (string, error) {
	port, ok := r.own.Proxies[gateway]
	if !ok {
		return "", fmt.Errorf("no listener port for Gateway %s", gateway)
	}
	return "http://" + net.JoinHostPort(Address.String(), strconv.Itoa(port)), nil
}

// DialContext implements cluster.Reach.
func (r *reach) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return r.ns.DialContext(ctx, network, addr)
}

// Endpoints implements cluster.Reach.
func (r *reach) Endpoints() map[string]string {
	x := r.own
	nsenter := "nsenter --net=" + x.Netns
	out := map[string]string{
		"network namespace": x.Netns + " (while the suite runs; enter it with " + nsenter + ")",
		"curl": fmt.Sprintf(
			"%s curl -sv -H 'Host: example.com' http://%s:%d/",
			nsenter,
			Address,
			x.Proxies[r.cfg.Implementation.Cluster.Gateway],
		),
		"echo upstream": x.Echo + " (in the network namespace)",
		"kwokctl":       x.Kwokctl + " --name " + kwokconfig.Settings(r.cfg).Name + " get components",
	}
	for _, p := range x.Processes {
		out[p.Name+" log"] = p.Log
		if p.AdminAddressFiles != "" {
			out[p.Name+" envoy admin"] = nsenter + " curl -s http://$(cat " + p.AdminAddressFiles + ")/config_dump"
		}
		if p.AdminSocket != "" {
			out[p.Name+" envoy admin"] = nsenter + " curl -s --unix-socket " + p.AdminSocket + " http://admin/config_dump"
		}
	}
	return out
}

// CollectArtifacts implements cluster.Reach: each process's log and the files its profile
// names, and each running Envoy's /config_dump through its admin address (in the network
// namespace) or socket.
func (r *reach) CollectArtifacts(ctx context.Context, dir string) error {
	var errs []error
	dumps := 0
	for _, p := range r.own.Processes {
		base := strings.ReplaceAll(p.Name, " ", "-")
		errs = append(errs, copyTail(p.Log, filepath.Join(dir, base+".log"), 4<<20))
		for _, glob := range p.Artifacts {
			files, _ := filepath.Glob(glob)
			for _, f := range files {
				name := base + "-" + filepath.Base(filepath.Dir(f)) + "-" + filepath.Base(f)
				errs = append(errs, copyTail(f, filepath.Join(dir, name), 4<<20))
			}
		}
		if p.AdminAddressFiles != "" {
			admins, _ := filepath.Glob(p.AdminAddressFiles)
			client := &http.Client{Transport: &http.Transport{DialContext: r.ns.DialContext, DisableKeepAlives: true}, Timeout: 10 * time.Second}
			for _, a := range admins {
				addr, err := os.ReadFile(a)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				dumps++
				run := filepath.Base(filepath.Dir(a))
				errs = append(
					errs,
					configDump(ctx, client, strings.TrimSpace(string(addr)), filepath.Join(dir, base+"-envoy-config-dump-"+run+".json")),
				)
			}
		}
		if sock := p.AdminSocket; sock != "" {
			client := &http.Client{
				Transport: &http.Transport{DisableKeepAlives: true, DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
					return (&net.Dialer{}).DialContext(ctx, "unix", sock)
				}},
				Timeout: 10 * time.Second,
			}
			dumps++
			errs = append(errs, configDump(ctx, client, "admin", filepath.Join(dir, base+"-envoy-config-dump.json")))
		}
	}
	if dumps == 0 {
		errs = append(
			errs,
			os.WriteFile(filepath.Join(dir, "envoy-config-dump.txt"), []byte("no Envoy admin address: no Envoy was running\n"), 0o644),
		)
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
