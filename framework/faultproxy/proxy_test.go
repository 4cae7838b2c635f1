package faultproxy

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"
)

func get(t *testing.T, addr string) (*http.Response, error) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	rsp, err := c.Get("http://" + addr + "/")
	if err == nil {
		io.ReadAll(rsp.Body)
		rsp.Body.Close()
	}
	return rsp, err
}

func upstream(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	t.Cleanup(srv.Close)
	return srv
}

func TestNoFaultsForwards(t *testing.T) {
	p, err := Start("127.0.0.1:0", upstream(t).Listener.Addr().String(), Faults{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for range 5 {
		if rsp, err := get(t, p.Addr()); err != nil || rsp.StatusCode != 200 {
			t.Fatalf("get through proxy: %v", err)
		}
	}
	if s := p.Stats(); s.Connections != 5 || s.Resets != 0 || s.Delays != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestResetsAreConnectionResets(t *testing.T) {
	p, _ := Start("127.0.0.1:0", upstream(t).Listener.Addr().String(), Faults{ResetFraction: 1}, 1)
	defer p.Close()
	_, err := get(t, p.Addr())
	if err == nil || !(errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF)) {
		t.Fatalf("want a reset, got %v", err)
	}
	if p.Stats().Resets != 1 {
		t.Fatalf("stats %+v", p.Stats())
	}
}

func TestResetFractionIsRoughlyRespected(t *testing.T) {
	p, _ := Start("127.0.0.1:0", upstream(t).Listener.Addr().String(), Faults{ResetFraction: 0.5}, 42)
	defer p.Close()
	failed := 0
	for range 200 {
		if _, err := get(t, p.Addr()); err != nil {
			failed++
		}
	}
	if failed < 60 || failed > 140 || int64(failed) != p.Stats().Resets {
		t.Fatalf("%d of 200 failed, %d resets counted", failed, p.Stats().Resets)
	}
}

func TestLatencyDelaysChunks(t *testing.T) {
	p, _ := Start("127.0.0.1:0", upstream(t).Listener.Addr().String(),
		Faults{LatencyProbability: 1, LatencyMin: 30 * time.Millisecond, LatencyMax: 40 * time.Millisecond}, 1)
	defer p.Close()
	if _, err := get(t, p.Addr()); err != nil {
		t.Fatal(err)
	}
	if p.Stats().Delays < 2 { // at least the request and the response chunk
		t.Fatalf("stats %+v", p.Stats())
	}
}

func TestBlackholeHoldsConnectionsUntilItEnds(t *testing.T) {
	p, _ := Start("127.0.0.1:0", upstream(t).Listener.Addr().String(), Faults{BlackholeEvery: time.Nanosecond, BlackholeFor: time.Hour}, 1)
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := c.Read(make([]byte, 10)); err == nil {
		t.Fatal("data crossed a blackhole")
	}
	closed := make(chan struct{})
	go func() { p.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung on a blackholed connection")
	}
	if p.Stats().Blackholed == 0 {
		t.Fatalf("stats %+v", p.Stats())
	}
}
