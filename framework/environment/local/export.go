package local

import (
	"time"
)

// Option changes how Start sets the environment up.
type Option func(*Environment)

// ExportTo makes the gateways export OTLP to these host:port addresses (OTLP/HTTP, OTLP/gRPC)
// instead of to the suite's receiver: for a benchmark that puts another consumer, such as a
// collector, where the receiver would be. The receiver still runs and gets nothing.
func ExportTo(httpAddr, grpcAddr string) Option {
	return func(e *Environment) { e.otlpHTTP, e.otlpGRPC = httpAddr, grpcAddr }
}

// Child is a process started the way the gateway is: in its own process group, dying with its
// parent, its output in a log file. The strategy benchmark runs its collectors as children.
type Child struct{ p *process }

// StartChild starts argv in dir with exactly env, writing its output to logPath.
func StartChild(argv []string, dir string, env []string, logPath string) (*Child, error) {
	p, err := startProcess(argv, dir, env, logPath)
	if err != nil {
		return nil, err
	}
	return &Child{p}, nil
}

// Pid is the child's process id.
func (c *Child) Pid() int { return c.p.Pid() }

// Exited is closed when the child has ended.
func (c *Child) Exited() <-chan struct{} { return c.p.Exited() }

// Tail is the last part of the child's output.
func (c *Child) Tail() string { return c.p.Tail() }

// Stop sends SIGTERM to the child's process group, SIGKILL after grace, and waits for its end.
func (c *Child) Stop(grace time.Duration) error { return c.p.Stop(grace) }
