package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/process"
	"github.com/tracegate/tracegate/framework/wait"
	"github.com/tracegate/tracegate/internal/render"
)

// CollectorData is what a benchmark collector's config template refers to.
type CollectorData struct {
	GRPCAddr, HTTPAddr string // host:port of its OTLP receivers
	HealthAddr         string // host:port of its health check
	StoreFile          string // where the file exporter writes
	// QueryHTTPAddr and QueryGRPCAddr are where Jaeger answers searches.
	QueryHTTPAddr, QueryGRPCAddr string
}

// Collector is a real OpenTelemetry Collector distribution (the benchmark's own, or Jaeger v2)
// run as a child process, on ports kept across restarts, as a Service keeps its address while
// the pod behind it is reinstalled.
type Collector struct {
	Data    CollectorData
	bin     string
	dir     string
	config  string
	health  string // the health check's path
	ready   config.Wait
	child   *process.Child
	logPath string
}

// NewCollector renders the config template for bin into dir on free ports of 127.0.0.1. Each
// start is ready once GET health answers 200, within ready, whose polling is the resolution of
// the start-to-ready time.
func NewCollector(bin, tmpl, dir, health string, ready config.Wait) (*Collector, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ports, err := freePorts(5)
	if err != nil {
		return nil, err
	}
	c := &Collector{
		bin:     bin,
		dir:     dir,
		health:  health,
		ready:   ready,
		config:  filepath.Join(dir, "config.yaml"),
		logPath: filepath.Join(dir, "collector.log"),
		Data: CollectorData{GRPCAddr: ports[0], HTTPAddr: ports[1], HealthAddr: ports[2], StoreFile: filepath.Join(dir, "store.jsonl"),
			QueryHTTPAddr: ports[3], QueryGRPCAddr: ports[4]},
	}
	text, err := render.File(tmpl, c.Data, nil)
	if err != nil {
		return nil, err
	}
	return c, os.WriteFile(c.config, text, 0o644)
}

// Start runs the collector with a fresh log and returns its start-to-ready time: from the
// process start until its health check answers 200, which it does once its pipelines run.
func (c *Collector) Start(ctx context.Context) (time.Duration, error) {
	kept, _ := process.Hermetic(os.Environ())
	start := time.Now()
	child, err := process.Start([]string{c.bin, "--config", c.config}, c.dir, append(kept, "HOME="+c.dir), c.logPath)
	if err != nil {
		return 0, err
	}
	c.child = child
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	url := "http://" + c.Data.HealthAddr + c.health
	err = wait.For(ctx, c.ready, filepath.Base(c.bin)+" to answer 200 on "+url, func(ctx context.Context) (bool, string, error) {
		select {
		case <-child.Exited():
			return false, "", fmt.Errorf("%s exited; its output:\n%s", filepath.Base(c.bin), child.Tail())
		default:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		res, err := client.Do(req)
		if err != nil {
			return false, err.Error(), nil
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK, res.Status, nil
	})
	return time.Since(start), err
}

// Stop ends the collector (SIGTERM, then SIGKILL after grace) and waits for it.
func (c *Collector) Stop(grace time.Duration) error {
	if c.child == nil {
		return nil
	}
	err := c.child.Stop(grace)
	if err != nil {
		tail := c.child.Tail()
		err = fmt.Errorf("%s: %w; its last output:\n%s", filepath.Base(c.bin), err, tail[max(len(tail)-3000, 0):])
	}
	c.child = nil
	return err
}

// Pid is the running collector's process id, 0 when stopped.
func (c *Collector) Pid() int {
	if c.child == nil {
		return 0
	}
	return c.child.Pid()
}

// Log is everything the running collector has written so far.
func (c *Collector) Log() ([]byte, error) { return os.ReadFile(c.logPath) }

func freePorts(n int) ([]string, error) {
	var addrs []string
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer ln.Close()
		addrs = append(addrs, net.JoinHostPort("127.0.0.1", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)))
	}
	return addrs, nil
}
