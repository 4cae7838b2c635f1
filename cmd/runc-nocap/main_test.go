//go:build linux

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSubcommandSkipsGlobalFlags(t *testing.T) {
	cases := []struct {
		args []string
		cmd  string
		rest []string
	}{
		{
			[]string{"--root", "/run/runc", "--log", "/l", "--log-format", "json", "--systemd-cgroup", "create", "--bundle", "/b", "id"},
			"create",
			[]string{"--bundle", "/b", "id"},
		},
		{[]string{"--root=/r", "--debug", "exec", "--process", "/p.json", "id"}, "exec", []string{"--process", "/p.json", "id"}},
		{[]string{"--version"}, "", nil},
	}
	for _, tc := range cases {
		cmd, rest := subcommand(tc.args)
		if cmd != tc.cmd || !slices.Equal(rest, tc.rest) {
			t.Errorf("subcommand(%q) = %q %q, want %q %q", tc.args, cmd, rest, tc.cmd, tc.rest)
		}
	}
}

func TestRewriteRemovesTheCapabilities(t *testing.T) {
	caps := map[string]any{
		"bounding":  []any{"CAP_CHOWN", "CAP_SYS_RESOURCE", "CAP_SYS_ADMIN"},
		"effective": []any{"CAP_SYS_RESOURCE"},
		"permitted": []any{"CAP_CHOWN"},
	}
	dir := t.TempDir()
	write := func(name string, doc any) string {
		data, _ := json.Marshal(doc)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	read := func(path string, process func(map[string]any) map[string]any) map[string]any {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		return process(doc)["capabilities"].(map[string]any)
	}
	want := map[string][]string{"bounding": {"CAP_CHOWN", "CAP_SYS_ADMIN"}, "effective": {}, "permitted": {"CAP_CHOWN"}}
	check := func(what string, got map[string]any) {
		for set, names := range want {
			var list []string
			for _, c := range got[set].([]any) {
				list = append(list, c.(string))
			}
			if !slices.Equal(list, names) && !(len(list) == 0 && len(names) == 0) {
				t.Errorf("%s: %s = %v, want %v", what, set, list, names)
			}
		}
	}
	drop := []string{"CAP_SYS_RESOURCE"}

	bundle := filepath.Join(dir, "bundle")
	if err := os.Mkdir(bundle, 0o755); err != nil {
		t.Fatal(err)
	}
	config := write("bundle/config.json", map[string]any{"ociVersion": "1.2.0", "process": map[string]any{"capabilities": caps}})
	if err := rewrite([]string{"--root", "/r", "create", "--bundle", bundle, "id"}, drop); err != nil {
		t.Fatal(err)
	}
	check("create", read(config, func(d map[string]any) map[string]any { return d["process"].(map[string]any) }))

	process := write("process.json", map[string]any{"args": []string{"sh"}, "capabilities": caps})
	if err := rewrite([]string{"exec", "--process=" + process, "id"}, drop); err != nil {
		t.Fatal(err)
	}
	check("exec", read(process, func(d map[string]any) map[string]any { return d }))

	if err := rewrite([]string{"create", "--bundle", filepath.Join(dir, "missing"), "id"}, drop); err == nil {
		t.Error("a bundle without config.json: no error")
	}
}
