//go:build linux

// Command runc-nocap runs runc without the capabilities this machine cannot grant: on the
// machines `make e2e-kind-here` targets, the capability bounding set lacks CAP_SYS_RESOURCE,
// so runc fails any container that asks for it ("unable to apply caps: operation not
// permitted"), among them every privileged one, such as a kind node. Registered as the Docker
// engine's default runtime (and as containerd's runc inside the node image built here), it
// removes those capabilities from the container's config.json (create, run: --bundle) or
// process file (exec: --process), then runs the real runc with the same arguments.
//
// The real runc is <this program>.real when that exists, else /usr/sbin/runc, else /usr/bin/runc.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// missing are the capabilities removed: those not in this process's bounding set.
func missing() []string {
	var out []string
	for i, name := range capNames {
		if err := capInBound(i); err != nil {
			out = append(out, name)
		}
	}
	return out
}

// capInBound reports an error when capability i is not in the bounding set (prctl
// PR_CAPBSET_READ returns 0).
func capInBound(i int) error {
	r, _, errno := syscall.Syscall(syscall.SYS_PRCTL, syscall.PR_CAPBSET_READ, uintptr(i), 0)
	if errno != 0 {
		return errno
	}
	if r == 0 {
		return fmt.Errorf("not in the bounding set")
	}
	return nil
}

// capNames are the Linux capabilities by number, as the OCI runtime spec names them.
var capNames = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
	"CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
	"CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
}

func main() {
	args := os.Args[1:]
	drop := missing()
	if len(drop) > 0 {
		if err := rewrite(args, drop); err != nil {
			fmt.Fprintln(os.Stderr, "runc-nocap:", err)
			os.Exit(1)
		}
	}
	real := realRunc()
	if err := syscall.Exec(real, append([]string{real}, args...), os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "runc-nocap: exec %s: %v\n", real, err)
		os.Exit(1)
	}
}

func realRunc() string {
	if self, err := os.Executable(); err == nil {
		if _, err := os.Stat(self + ".real"); err == nil {
			return self + ".real"
		}
	}
	if _, err := os.Stat("/usr/sbin/runc"); err == nil {
		return "/usr/sbin/runc"
	}
	return "/usr/bin/runc"
}

// rewrite finds the file runc will read the capabilities from and removes drop from it.
func rewrite(args, drop []string) error {
	cmd, rest := subcommand(args)
	switch cmd {
	case "create", "run":
		bundle := flagValue(rest, "bundle", "b")
		if bundle == "" {
			bundle = "."
		}
		return edit(filepath.Join(bundle, "config.json"), drop, func(doc map[string]any) map[string]any {
			p, _ := doc["process"].(map[string]any)
			return p
		})
	case "exec":
		if file := flagValue(rest, "process", "p"); file != "" {
			return edit(file, drop, func(doc map[string]any) map[string]any { return doc })
		}
	}
	return nil
}

// subcommand skips runc's global flags (all of which take a value joined with = or the next
// argument, except the boolean ones listed) and returns the command and what follows it.
func subcommand(args []string) (string, []string) {
	booleans := []string{"--debug", "--systemd-cgroup", "--rootless", "--help", "-h", "--version", "-v"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			return a, args[i+1:]
		}
		if !strings.Contains(a, "=") && !slices.Contains(booleans, a) {
			i++ // the flag's value
		}
	}
	return "", nil
}

func flagValue(args []string, long, short string) string {
	for i, a := range args {
		for _, name := range []string{"--" + long, "-" + long, "-" + short} {
			if a == name && i+1 < len(args) {
				return args[i+1]
			}
			if v, ok := strings.CutPrefix(a, name+"="); ok {
				return v
			}
		}
	}
	return ""
}

// edit removes drop from every capability set of the process object that process picks out
// of the JSON document in file.
func edit(file string, drop []string, process func(map[string]any) map[string]any) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	p := process(doc)
	if p == nil {
		return nil
	}
	caps, _ := p["capabilities"].(map[string]any)
	changed := false
	for set, v := range caps {
		list, _ := v.([]any)
		kept := list[:0:0]
		for _, c := range list {
			if s, _ := c.(string); !slices.Contains(drop, s) {
				kept = append(kept, c)
			}
		}
		if len(kept) != len(list) {
			caps[set], changed = kept, true
		}
	}
	if !changed {
		return nil
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(file, out, 0o600)
}
