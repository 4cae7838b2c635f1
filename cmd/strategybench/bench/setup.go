package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/local"
	"github.com/tracegate/tracegate/framework/request"
)

// setUp starts the collectors and the three gateways in dir. stop ends whatever was started,
// last first, also after an error; a process that has to be killed is a note on the progress
// writer, not a failed benchmark.
func setUp(ctx context.Context, cfg *config.Config, opt Options, dir string) (r *rounds, storeName string, stop func(), err error) {
	type started struct {
		what string
		stop func() error
	}
	var all []started
	stop = func() {
		for i := len(all) - 1; i >= 0; i-- {
			if err := all[i].stop(); err != nil {
				fmt.Fprintf(opt.Progress, "note: stopping %s: %v\n", all[i].what, err)
			}
		}
	}
	grace := cfg.MustWait(config.WaitGatewayStop).Timeout
	ready := cfg.MustWait(config.WaitGatewayReady)
	ready.Polling = 5 * time.Millisecond // the resolution of the start-to-ready time
	logCol, err := NewCollector(opt.Collector, filepath.Join(opt.Fixtures, "otelcol-debug.yaml.tmpl"), filepath.Join(dir, "log"), "/", ready)
	if err != nil {
		return nil, "", stop, err
	}
	storeCol, store, storeName, err := newStore(opt, filepath.Join(dir, "store"), ready)
	if err != nil {
		return nil, "", stop, err
	}
	for _, c := range []struct {
		what string
		col  *Collector
	}{{"the log-scraping collector", logCol}, {"the store", storeCol}} {
		if _, err := c.col.Start(ctx); err != nil {
			return nil, "", stop, err
		}
		all = append(all, started{c.what, func() error { return c.col.Stop(grace) }})
	}
	gateway := func(what string, opts ...local.Option) (side, error) {
		env, err := local.Start(ctx, cfg, io.Discard, opts...)
		if err != nil {
			return side{}, fmt.Errorf("starting %s: %w", what, err)
		}
		all = append(all, started{what, func() error { return env.Stop(context.WithoutCancel(ctx)) }})
		return side{env: env, client: request.NewClient(env.GatewayURL(), cfg.Request)}, nil
	}
	r = &rounds{cfg: cfg, logCol: logCol, store: store, grace: grace, service: cfg.Implementation.ServiceName}
	if r.t, err = gateway("the gateway exporting to the suite's receiver"); err != nil {
		return nil, "", stop, err
	}
	if r.l, err = gateway(
		"the gateway exporting to the log-scraping collector",
		local.ExportTo(logCol.Data.HTTPAddr, logCol.Data.GRPCAddr),
	); err != nil {
		return nil, "", stop, err
	}
	if r.s, err = gateway("the gateway exporting to the store", local.ExportTo(storeCol.Data.HTTPAddr, storeCol.Data.GRPCAddr)); err != nil {
		return nil, "", stop, err
	}
	return r, storeName, stop, nil
}

// newStore sets up the count-delta strategy's store: Jaeger, or the file exporter without it.
func newStore(opt Options, dir string, ready config.Wait) (*Collector, Store, string, error) {
	if opt.Jaeger == "" {
		c, err := NewCollector(opt.Collector, filepath.Join(opt.Fixtures, "otelcol-file.yaml.tmpl"), dir, "/", ready)
		if err != nil {
			return nil, nil, "", err
		}
		return c, FileStore{Path: c.Data.StoreFile}, "a collector's file exporter", nil
	}
	c, err := NewCollector(opt.Jaeger, filepath.Join(opt.Fixtures, "jaeger.yaml.tmpl"), dir, "/status", ready)
	if err != nil {
		return nil, nil, "", err
	}
	store := JaegerStore{URL: "http://" + c.Data.QueryHTTPAddr, Since: time.Now().Add(-time.Minute), Client: &http.Client{}}
	return c, store, "Jaeger v2, in memory", nil
}
