package local

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/config"
)

// startConfig loads a config whose gateway is the given command, with quick waits.
func startConfig(t *testing.T, command ...string) *config.Config {
	t.Helper()
	return startConfigWith(t, "", command...)
}

// startConfigWith is startConfig with a config template of the given text ("" for none).
func startConfigWith(t *testing.T, template string, command ...string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	// A gateway that fails to start keeps its work directory (under TMPDIR): the test's own.
	t.Setenv("TMPDIR", t.TempDir())
	local := "command: [%s], readyPath: /ready"
	if template != "" {
		if err := os.WriteFile(filepath.Join(dir, "gw.tmpl"), []byte(template), 0o644); err != nil {
			t.Fatal(err)
		}
		local += ", configTemplate: gw.tmpl, configName: gw.conf"
	}
	quoted := make([]string, len(command))
	for i, a := range command {
		quoted[i] = strconv.Quote(a)
	}
	file := filepath.Join(dir, "ginkgo.yaml")
	yaml := "waits:\n  default:\n    gatewayReady: {timeout: 3s, polling: 20ms}\n    gatewayStop: {timeout: 2s, polling: 20ms}\n" +
		"environments:\n  local: {type: local, implementation: gw}\n" +
		"implementations:\n  gw:\n    local: {" + fmt.Sprintf(local, strings.Join(quoted, ", ")) + "}\n"
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadFile(file, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestMain lets the test binary play a gateway that binds a port: TRACEGATE_TEST_BIND=<port>
// (and the other TRACEGATE_TEST_ variables below).
func TestMain(m *testing.M) {
	if port := os.Getenv("TRACEGATE_TEST_SERVE_THEN_EXIT"); port != "" {
		// A gateway that becomes ready, then dies mid-run.
		ln, err := net.Listen("tcp", "127.0.0.1:"+port)
		if err != nil {
			os.Exit(1)
		}
		go http.Serve(ln, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		time.Sleep(500 * time.Millisecond)
		fmt.Println("worker crashed")
		os.Exit(7)
	}
	if port := os.Getenv("TRACEGATE_TEST_SERVE"); port != "" {
		// A gateway that answers until it is stopped.
		ln, err := net.Listen("tcp", "127.0.0.1:"+port)
		if err != nil {
			os.Exit(1)
		}
		_ = http.Serve(ln, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		os.Exit(0)
	}
	if port := os.Getenv("TRACEGATE_TEST_SERVE_SHARED"); port != "" {
		serveShared(port)
	}
	if port := os.Getenv("TRACEGATE_TEST_BIND"); port != "" {
		if _, err := net.Listen("tcp", "127.0.0.1:"+port); err != nil {
			fmt.Println("cannot listen:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestAGatewayThatExitsAtStartIsAnErrorWithItsOutput(t *testing.T) {
	cfg := startConfig(t, "sh", "-c", "echo 'bad bootstrap: no such field'; exit 3")
	_, err := Start(context.Background(), cfg, io.Discard)
	if err == nil {
		t.Fatal("Start succeeded; want an error")
	}
	for _, want := range []string{"gw exited before it was ready", "exit status 3", "bad bootstrap: no such field"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

func TestAGatewayThatNeverAnswersNamesTheWait(t *testing.T) {
	cfg := startConfig(t, "sleep", "30")
	start := time.Now()
	_, err := Start(context.Background(), cfg, io.Discard)
	if err == nil ||
		!strings.Contains(err.Error(), "wait gatewayReady (timeout 3s from waits.default.gatewayReady") ||
		!strings.Contains(err.Error(), "to answer GET http://127.0.0.1:") {
		t.Fatalf("want a timeout naming the gatewayReady wait and the URL, got %v", err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("gave up after %s", took)
	}
}

func TestAPortInUseStopsTheGatewayNotTheRun(t *testing.T) {
	// A gateway that binds a port someone else holds exits; Start reports it, names the
	// gateway's output, and leaves no process behind.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	cfg := startConfig(t, "env", "TRACEGATE_TEST_BIND="+port, os.Args[0])
	_, err = Start(context.Background(), cfg, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "address already in use") || !strings.Contains(err.Error(), "exited before it was ready") {
		t.Fatalf("want the gateway's bind error, got %v", err)
	}
}

func TestAGatewayThatLostItsPortIsStartedAgainOnNewPorts(t *testing.T) {
	// The first start finds a chosen port taken (another process bound it in between), the
	// second gets new ports and serves.
	startAgainOnNewPorts(t, "echo 'listen tcp 127.0.0.1:{{.GatewayPort}}: bind: address already in use'; exit 1",
		"lost a port chosen for it before it bound it")
}

// startAgainOnNewPorts starts a gateway whose first start runs the shell command first and
// whose second serves, and checks that the log says why and there were exactly two starts.
func startAgainOnNewPorts(t *testing.T, first, why string) *Environment {
	t.Helper()
	mark := filepath.Join(t.TempDir(), "started-once")
	script := "if [ -e " + mark + " ]; then exec env TRACEGATE_TEST_SERVE={{.GatewayPort}} " + os.Args[0] +
		"; else touch " + mark + "; " + first + "; fi"
	var log strings.Builder
	env, err := Start(context.Background(), startConfig(t, "sh", "-c", script), &log)
	if err != nil {
		t.Fatalf("Start: %v\n%s", err, log.String())
	}
	t.Cleanup(func() { env.Stop(context.Background()) })
	if !strings.Contains(log.String(), why) || strings.Count(log.String(), "started gw") != 2 {
		t.Errorf("want one start again on new ports because it %s, log:\n%s", why, log.String())
	}
	return env
}

func TestAReadyAnswerWithoutTheStartsTokenIsNotTheGateway(t *testing.T) {
	// The config asks the ready path to answer "ready <token>"; what answers without it is
	// some other process on the port, never taken for the gateway.
	cfg := startConfigWith(t, "ready {{.ReadyToken}}\n", "env", "TRACEGATE_TEST_SERVE={{.GatewayPort}}", os.Args[0])
	_, err := Start(context.Background(), cfg, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "without this start's ready token") {
		t.Fatalf("want a timeout saying the answer lacked the ready token, got %v", err)
	}
}

func TestBuildChecksTheProgramExists(t *testing.T) {
	cfg := startConfig(t, "bin/not-built")
	err := Build(context.Background(), cfg, io.Discard)
	if err == nil ||
		!strings.Contains(err.Error(), "implementations.gw.local.command[0]") ||
		!strings.Contains(err.Error(), "not-built is not an executable file") {
		t.Fatalf("want an error naming the field and the file, got %v", err)
	}
	cfg = startConfig(t, "no-such-program-anywhere")
	if err := Build(context.Background(), cfg, io.Discard); err == nil || !strings.Contains(err.Error(), "not on PATH") {
		t.Fatalf("want an error saying the program is not on PATH, got %v", err)
	}
}

func TestAGatewayThatDiesMidRunIsNamed(t *testing.T) {
	cfg := startConfig(t, "env", "TRACEGATE_TEST_SERVE_THEN_EXIT={{.GatewayPort}}", os.Args[0])
	env, err := Start(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Stop(context.Background())
	if got := env.Exited(); len(got) != 0 {
		t.Fatalf("a running gateway reported as ended: %q", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(env.Exited()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	got := env.Exited()
	if len(got) != 1 ||
		!strings.Contains(got[0], "gw (pid") ||
		!strings.Contains(got[0], "exit status 7") ||
		!strings.Contains(got[0], "worker crashed") {
		t.Fatalf("Exited() = %q; want the gateway, its exit status and its last output", got)
	}
}
