package kwok

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwokconfig"
	"github.com/tracegate/tracegate/framework/netns"
	"github.com/tracegate/tracegate/framework/process"
	"github.com/tracegate/tracegate/framework/wait"
)

// proc is a long-running process a Runner started (Host.Start).
type proc struct {
	name  string // "controller", or "controller <gateway>" / "proxy <gateway>"
	child *process.Child
	files procFiles
}

// procFiles are what a failure's artifacts and the endpoints read of a process, as process 1
// hands them to every Ginkgo process (share.Processes).
type procFiles struct {
	Name              string   `json:"name"`
	Log               string   `json:"log"`
	Artifacts         []string `json:"artifacts,omitempty"`
	AdminAddressFiles string   `json:"adminAddressFiles,omitempty"`
	AdminSocket       string   `json:"adminSocket,omitempty"`
}

// Process is a process a Runner runs in the run's network namespace: to completion
// (Host.Run), or for the whole run (Host.Start).
type Process struct {
	// Name names it in the plan, the log and the artifacts: "controller", "proxy <gateway>"...
	// A long-running one logs into <work>/<name>.log (spaces made dashes).
	Name string
	// Work is its work directory (Host.WorkDir): it runs with HOME=<Work>/home.
	Work string
	Argv []string
	// Env is added to the suite's hermetic environment, HOME and KUBECONFIG.
	Env map[string]string
	// Ready is a URL that answers 200 inside the network namespace once it is ready; "" none.
	Ready string
	// Artifacts are globs of files kept on failure, besides its own log.
	Artifacts []string
	// AdminAddressFiles is a glob of files holding Envoy admin addresses; AdminSocket an Envoy
	// admin unix socket. Either gives each Envoy's /config_dump on failure.
	AdminAddressFiles string
	AdminSocket       string
}

// environ is a process's environment: the suite's hermetic part, HOME in its work directory,
// KUBECONFIG, and its own variables.
func (h *Host) environ(p Process) []string {
	kept, _ := process.Hermetic(os.Environ())
	out := append(kept, "HOME="+filepath.Join(p.Work, "home"), "KUBECONFIG="+h.Kubeconfig())
	for _, k := range slices.Sorted(maps.Keys(p.Env)) {
		out = append(out, k+"="+p.Env[k])
	}
	return out
}

// Run runs a process to completion in the network namespace, in the profile's directory.
func (h *Host) Run(ctx context.Context, p Process) error {
	cmd := exec.CommandContext(ctx, p.Argv[0], p.Argv[1:]...)
	cmd.Dir, cmd.Env = h.Dir(), h.environ(p)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = netns.DyingWithParent(syscall.SIGKILL)
	if err := h.run.ns.Start(cmd); err != nil {
		return fmt.Errorf("%s: %s: %w", p.Name, strings.Join(p.Argv, " "), err)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("%s: %s: %w\n%s", p.Name, strings.Join(p.Argv, " "), err, out.String())
	}
	return nil
}

// Start starts a process for the rest of the run in the network namespace, and waits until
// its Ready URL answers 200. Its log, artifacts and Envoy admin go into every failure's
// artifacts.
func (h *Host) Start(ctx context.Context, p Process) error {
	r, s := h.run, h.State
	files := procFiles{Name: p.Name, Log: filepath.Join(r.work, strings.ReplaceAll(p.Name, " ", "-")+".log"),
		Artifacts: p.Artifacts, AdminAddressFiles: p.AdminAddressFiles, AdminSocket: p.AdminSocket}
	// SIGTERM when the suite dies: a controller that starts proxies stops them on it.
	child, err := process.StartWith(p.Argv, process.Options{
		Dir:         h.Dir(),
		Env:         h.environ(p),
		LogPath:     files.Log,
		Start:       r.ns.Start,
		DeathSignal: syscall.SIGTERM,
	})
	if err != nil {
		return err
	}
	pr := &proc{name: p.Name, child: child, files: files}
	r.procs = append(r.procs, pr)
	r.share.Processes = append(r.share.Processes, files)
	start := time.Now()
	if p.Ready != "" {
		if err := h.awaitReady(ctx, pr, p.Ready); err != nil {
			return err
		}
	}
	fmt.Fprintf(
		s.Log,
		"tracegate: %s (pid %d) started in %s: %s; its log: %s\n",
		p.Name,
		child.Pid(),
		time.Since(start).Round(10*time.Millisecond),
		strings.Join(p.Argv, " "),
		files.Log,
	)
	return nil
}

// awaitReady waits until url answers 200 inside the network namespace.
func (h *Host) awaitReady(ctx context.Context, pr *proc, url string) error {
	w, err := h.run.cfg.Wait(kwokconfig.WaitControllerReady)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{DialContext: h.run.ns.DialContext, DisableKeepAlives: true}, Timeout: time.Second}
	err = wait.For(
		ctx,
		w,
		fmt.Sprintf("%s to answer %s in the network namespace", pr.name, url),
		func(ctx context.Context) (bool, string, error) {
			if err := pr.exited(); err != nil {
				return false, "", err
			}
			rsp, err := client.Get(url)
			if err != nil {
				return false, err.Error(), nil
			}
			rsp.Body.Close()
			return rsp.StatusCode == http.StatusOK, rsp.Status, nil
		},
	)
	if err != nil {
		return fmt.Errorf("%w\nlast lines of %s:\n%s", err, pr.files.Log, pr.tail())
	}
	return nil
}

// exited returns an error once the process has ended: it never should while the run needs it.
func (p *proc) exited() error {
	select {
	case <-p.child.Exited():
		return fmt.Errorf("%s (pid %d) exited: %v", p.name, p.child.Pid(), p.child.ExitError())
	default:
		return nil
	}
}

// tail is the last 40 lines of its output, indented.
func (p *proc) tail() string {
	lines := strings.Split(strings.TrimRight(p.child.Tail(), "\n"), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return "  " + strings.Join(lines, "\n  ")
}

// anyExited is the first process of the run that has ended, with the end of its output.
func (r *run) anyExited() error {
	for _, p := range r.procs {
		if err := p.exited(); err != nil {
			return fmt.Errorf("%w\nlast lines of %s:\n%s", err, p.files.Log, p.tail())
		}
	}
	return nil
}

// awaitListeners waits until every Gateway's proxy accepts connections on its listener.
func (src *source) awaitListeners(ctx context.Context, s *cluster.State) error {
	r := src.run
	w, err := s.Config.Wait(kwokconfig.WaitListenerReady)
	if err != nil {
		return err
	}
	offset := profile(s.Config).ListenerPortOffset
	for _, gw := range gatewayOrder(s.Config) {
		addr := net.JoinHostPort(Address.String(), strconv.Itoa(r.ports[gw]+offset))
		err := wait.For(
			ctx,
			w,
			fmt.Sprintf("the proxy of Gateway %s/%s to accept connections on %s", s.Namespace, gw, addr),
			func(ctx context.Context) (bool, string, error) {
				if err := r.anyExited(); err != nil {
					return false, "", err
				}
				dctx, cancel := context.WithTimeout(ctx, time.Second)
				defer cancel()
				c, err := r.ns.DialContext(dctx, "tcp", addr)
				if err != nil {
					return false, err.Error(), nil
				}
				c.Close()
				return true, "", nil
			},
		)
		if err != nil {
			return err
		}
	}
	return nil
}
