package local

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/framework/process"
)

// CollectorTemplateData is what a collector's config template and command can refer to.
type CollectorTemplateData struct {
	ListenAddr   string // host:port where the collector takes OTLP/HTTP from the gateway
	ReceiverGRPC string // host:port of the suite's OTLP/gRPC receiver, where it relays to
	ConfigFile   string // where the rendered config template is written
	WorkDir      string
	Dir          string // the directory of ginkgo.yaml
}

// startCollector runs the environment's OpenTelemetry Collector, if it has one, and points the
// gateways' export at it instead of at the receiver.
func (e *Environment) startCollector(ctx context.Context) error {
	c := e.cfg.Environment.Collector
	if c == nil {
		return nil
	}
	dir := filepath.Join(e.workDir, "collector")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ports, err := e.ports.Free(1)
	if err != nil {
		return err
	}
	data := CollectorTemplateData{ListenAddr: net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0])), ReceiverGRPC: e.otlpGRPC,
		ConfigFile: filepath.Join(dir, c.ConfigName), WorkDir: dir, Dir: e.cfg.Dir}
	text, err := os.ReadFile(c.ConfigTemplate)
	if err != nil {
		return err
	}
	rendered, err := expand(c.ConfigTemplate, string(text), data)
	if err != nil {
		return err
	}
	if err := os.WriteFile(data.ConfigFile, []byte(rendered), 0o644); err != nil {
		return err
	}
	var argv []string
	for i, a := range c.Command {
		s, err := expand(fmt.Sprintf("%s: environments.%s.collector.command[%d]", e.cfg.File, e.cfg.Environment.Name, i), a, data)
		if err != nil {
			return err
		}
		argv = append(argv, s)
	}
	if strings.Contains(argv[0], "/") && !filepath.IsAbs(argv[0]) {
		argv[0] = filepath.Join(e.cfg.Dir, argv[0])
	}
	if e.collector, err = process.Start(argv, e.cfg.Dir, append(e.inherited(), "HOME="+dir), filepath.Join(dir, "collector.log")); err != nil {
		return err
	}
	e.collectorData = data
	fmt.Fprintf(e.log, "started the collector (pid %d) on %s, relaying to %s\n", e.collector.Pid(), data.ListenAddr, data.ReceiverGRPC)
	// Its OTLP/HTTP receiver answers 404 on / once it listens: that is ready enough.
	if err := e.awaitHTTP(ctx, "the collector", "http://"+data.ListenAddr+"/", e.collector, ""); err != nil {
		return err
	}
	e.otlpHTTP = data.ListenAddr
	return nil
}
