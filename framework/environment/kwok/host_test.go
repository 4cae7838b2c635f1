package kwok

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/testenv"
)

func TestMountsBelow(t *testing.T) {
	info := "36 35 98:0 / /work/x/.tracegate/kwok-a/envoy-gateway/newroot rw - tmpfs t rw\n" +
		"37 35 98:0 / /work/x/.tracegate/kwok-ab rw - ext4 /dev/a rw\n" +
		"38 35 98:0 / /work rw - ext4 /dev/a rw\n"
	if got := mountsBelow(strings.NewReader(info), "/work/x/.tracegate/kwok-a"); len(got) != 1 || !strings.HasSuffix(got[0], "newroot") {
		t.Errorf("mountsBelow = %v, want only the newroot", got)
	}
}

// TestHelperGivesCerts runs fixtures/kwok/envoy-gateway-in-ns.sh as a run does (needs root):
// the command sees /certs, the machine's / does not get one, and no mount is left behind.
func TestHelperGivesCerts(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Skip(t, "needs root for a mount namespace")
	}
	if _, err := os.Stat("/certs"); err == nil {
		testenv.Skip(t, "this machine has a /certs of its own, which the test cannot tell from the one it would bind")
	}
	dir := t.TempDir()
	newroot, certs := filepath.Join(dir, "newroot"), filepath.Join(dir, "certs")
	for _, d := range []string{newroot, certs} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"ca.crt", "tls.crt", "tls.key"} {
		if err := os.WriteFile(filepath.Join(certs, f), []byte("file "+f), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(
		"unshare",
		"--mount",
		"--propagation",
		"private",
		"--",
		"sh",
		"../../../fixtures/kwok/envoy-gateway-in-ns.sh",
		newroot,
		certs,
		"cat",
		"/certs/tls.key",
	)
	out, err := cmd.CombinedOutput()
	if err != nil || string(out) != "file tls.key" {
		t.Fatalf("%v: %s", err, out)
	}
	if _, err := os.Stat("/certs"); err == nil {
		t.Errorf("/certs exists on the machine after the run")
	}
	f, _ := os.Open("/proc/self/mountinfo")
	defer f.Close()
	if m := mountsBelow(f, dir); len(m) > 0 {
		t.Errorf("mounts left behind: %v", m)
	}
}

// TestConfigDumpChecksStatus: an admin answer other than 200 is an error, never saved as the
// config dump (issue 15, problem 5).
func TestConfigDumpChecksStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/config_dump" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, `{"configs": []}`)
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	dest := filepath.Join(t.TempDir(), "dump.json")
	if err := configDump(t.Context(), srv.Client(), addr, dest); err != nil {
		t.Fatal(err)
	}
	bad := httptest.NewServer(http.NotFoundHandler())
	defer bad.Close()
	dest2 := filepath.Join(t.TempDir(), "dump.json")
	if err := configDump(
		t.Context(),
		bad.Client(),
		strings.TrimPrefix(bad.URL, "http://"),
		dest2,
	); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("a 404 gave %v", err)
	}
	if _, err := os.Stat(dest2); err == nil {
		t.Errorf("a 404 page was saved as the config dump")
	}
}
