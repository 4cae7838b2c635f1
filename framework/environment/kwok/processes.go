package kwok

import (
	"bytes"
	"context"
	"encoding/json"
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
	"text/template"
	"time"

	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwoktype"
	"github.com/tracegate/tracegate/framework/process"
	"github.com/tracegate/tracegate/framework/wait"
)

// proc is a long-running process of the implementation's kwok profile (its controller, or a
// Gateway's proxy), started by the run in its network namespace.
type proc struct {
	name  string // "controller", or "controller <gateway>" / "proxy <gateway>"
	child *process.Child
	files procFiles
}

// procFiles are what a failure's artifacts and the endpoints read of a process, rendered, as
// process 1 hands them to every Ginkgo process (Extra["processes"]).
type procFiles struct {
	Name              string   `json:"name"`
	Log               string   `json:"log"`
	Artifacts         []string `json:"artifacts,omitempty"`
	AdminAddressFiles string   `json:"adminAddressFiles,omitempty"`
	AdminSocket       string   `json:"adminSocket,omitempty"`
}

// render renders one template of the kwok profile with data.
func render(name, text string, data kwoktype.Data) (string, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return b.String(), nil
}

// renderArgv renders a command's arguments.
func renderArgv(what string, argv []string, data kwoktype.Data) ([]string, error) {
	out := make([]string, len(argv))
	for i, a := range argv {
		var err error
		if out[i], err = render(fmt.Sprintf("%s[%d]", what, i), a, data); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// environ is a process's environment: the suite's hermetic part, HOME in its work directory,
// KUBECONFIG, and the profile's variables.
func environ(what string, env map[string]string, data kwoktype.Data) ([]string, error) {
	kept, _ := process.Hermetic(os.Environ())
	out := append(kept, "HOME="+filepath.Join(data.Work, "home"), "KUBECONFIG="+data.Kubeconfig)
	for _, k := range slices.Sorted(maps.Keys(env)) {
		v, err := render(what+"."+k, env[k], data)
		if err != nil {
			return nil, err
		}
		out = append(out, k+"="+v)
	}
	return out, nil
}

// runCommand runs a command of the profile to completion in the network namespace.
func (src *source) runCommand(ctx context.Context, what string, argv []string, env map[string]string, data kwoktype.Data) error {
	args, err := renderArgv(what, argv, data)
	if err != nil {
		return err
	}
	envv, err := environ(what+".env", env, data)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir, cmd.Env = src.run.cfg.Implementation.Dir, envv
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := src.run.ns.Start(cmd); err != nil {
		return fmt.Errorf("%s: %s: %w", what, strings.Join(args, " "), err)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("%s: %s: %w\n%s", what, strings.Join(args, " "), err, out.String())
	}
	return nil
}

// startProcess renders a process's config, runs its bootstrap, starts it in the network
// namespace and waits until its ready URL answers 200.
func (src *source) startProcess(ctx context.Context, s *cluster.State, name, what string, p *kwoktype.Process, data kwoktype.Data) (*proc, error) {
	r := src.run
	for _, d := range []string{data.Work, filepath.Join(data.Work, "home")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if p.Config != "" {
		text, err := cluster.RenderFile(p.Config, data)
		if err != nil {
			return nil, fmt.Errorf("%s.config %s: %w", what, p.Config, err)
		}
		data.ConfigFile = filepath.Join(data.Work, strings.TrimSuffix(filepath.Base(p.Config), ".tmpl"))
		if err := os.WriteFile(data.ConfigFile, text, 0o644); err != nil {
			return nil, err
		}
	}
	if len(p.Bootstrap) > 0 {
		if err := src.runCommand(ctx, what+".bootstrap", p.Bootstrap, p.Env, data); err != nil {
			return nil, err
		}
	}
	argv, err := renderArgv(what+".command", p.Command, data)
	if err != nil {
		return nil, err
	}
	env, err := environ(what+".env", p.Env, data)
	if err != nil {
		return nil, err
	}
	files := procFiles{Name: name, Log: filepath.Join(r.work, strings.ReplaceAll(name, " ", "-")+".log")}
	for i, a := range p.Artifacts {
		if a, err = render(fmt.Sprintf("%s.artifacts[%d]", what, i), a, data); err != nil {
			return nil, err
		}
		files.Artifacts = append(files.Artifacts, a)
	}
	if files.AdminAddressFiles, err = render(what+".adminAddressFiles", p.AdminAddressFiles, data); err != nil {
		return nil, err
	}
	if files.AdminSocket, err = render(what+".adminSocket", p.AdminSocket, data); err != nil {
		return nil, err
	}
	// SIGTERM when the suite dies: a controller that starts proxies stops them on it.
	child, err := process.StartWith(argv, process.Options{Dir: r.cfg.Implementation.Dir, Env: env, LogPath: files.Log, Start: r.ns.Start, DeathSignal: syscall.SIGTERM})
	if err != nil {
		return nil, err
	}
	pr := &proc{name: name, child: child, files: files}
	r.procs = append(r.procs, pr)
	if err := src.shareProcesses(s); err != nil {
		return nil, err
	}
	start := time.Now()
	if p.Ready != "" {
		url, err := render(what+".ready", p.Ready, data)
		if err != nil {
			return nil, err
		}
		if err := src.awaitReady(ctx, s, pr, url); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(s.Log, "tracegate: %s (pid %d) started in %s: %s; its log: %s\n", name, child.Pid(), time.Since(start).Round(10*time.Millisecond), strings.Join(argv, " "), files.Log)
	return pr, nil
}

// awaitReady waits until url answers 200 inside the network namespace.
func (src *source) awaitReady(ctx context.Context, s *cluster.State, pr *proc, url string) error {
	w, err := s.Config.Wait(kwoktype.WaitControllerReady)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{DialContext: src.run.ns.DialContext, DisableKeepAlives: true}, Timeout: time.Second}
	err = wait.For(ctx, w, fmt.Sprintf("%s to answer %s in the network namespace", pr.name, url), func(ctx context.Context) (bool, string, error) {
		if err := pr.exited(); err != nil {
			return false, "", err
		}
		rsp, err := client.Get(url)
		if err != nil {
			return false, err.Error(), nil
		}
		rsp.Body.Close()
		return rsp.StatusCode == http.StatusOK, rsp.Status, nil
	})
	if err != nil {
		return fmt.Errorf("%w\nlast lines of %s:\n%s", err, pr.files.Log, pr.tail())
	}
	return nil
}

// shareProcesses records every process's files for the other Ginkgo processes.
func (src *source) shareProcesses(s *cluster.State) error {
	var files []procFiles
	for _, p := range src.run.procs {
		files = append(files, p.files)
	}
	b, err := json.Marshal(files)
	s.Extra["processes"] = string(b)
	return err
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
	w, err := s.Config.Wait(kwoktype.WaitListenerReady)
	if err != nil {
		return err
	}
	offset := profile(s.Config).ListenerPortOffset
	for _, gw := range gatewayOrder(s.Config) {
		addr := net.JoinHostPort(Address.String(), strconv.Itoa(r.ports[gw]+offset))
		err := wait.For(ctx, w, fmt.Sprintf("the proxy of Gateway %s/%s to accept connections on %s", s.Namespace, gw, addr), func(ctx context.Context) (bool, string, error) {
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
		})
		if err != nil {
			return err
		}
	}
	return nil
}
