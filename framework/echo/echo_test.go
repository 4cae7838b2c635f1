package echo_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/echo"
)

func get(t *testing.T, url string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header = header
	req.Host = "echo.example.com"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

func TestEchoRecordsWhatItReceived(t *testing.T) {
	srv, err := echo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	res, body := get(t, "http://"+srv.Addr+"/some/path", http.Header{
		"Traceparent": {"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
	})
	var rec echo.Record
	if err := json.Unmarshal(body, &rec); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, body %q: %v", res.StatusCode, body, err)
	}
	if rec.Method != http.MethodGet || rec.Path != "/some/path" || rec.Host != "echo.example.com" ||
		rec.Headers.Get("traceparent") != "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" {
		t.Errorf("record %+v", rec)
	}
}

func TestEchoAnswersTheStatusAskedFor(t *testing.T) {
	srv, err := echo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if res, _ := get(t, "http://"+srv.Addr+"/", http.Header{echo.StatusHeader: {"503"}}); res.StatusCode != 503 {
		t.Errorf("status %d, want 503", res.StatusCode)
	}
	for _, bad := range []string{"abc", "99", "600"} {
		res, body := get(t, "http://"+srv.Addr+"/", http.Header{echo.StatusHeader: {bad}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), echo.StatusHeader) {
			t.Errorf("%s: %q gave %d %q; want 400 naming the header", echo.StatusHeader, bad, res.StatusCode, body)
		}
	}
}

func TestEchoHoldsUntilTheCallerGivesUp(t *testing.T) {
	srv, err := echo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+srv.Addr+"/", nil)
	req.Header.Set(echo.HoldHeader, "1")
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("held request answered %d", res.StatusCode)
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("held request: %v, want the caller's deadline", err)
	}
}

func TestRefusingPortRefusesAndStaysTaken(t *testing.T) {
	r, err := echo.Refuse("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if c, err := net.Dial("tcp", r.Addr); err == nil {
		c.Close()
		t.Fatalf("dialling %s succeeded", r.Addr)
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dialling %s: %v, want connection refused", r.Addr, err)
	}
	if ln, err := net.Listen("tcp", r.Addr); err == nil {
		ln.Close()
		t.Fatalf("another listener took the refusing port %s", r.Addr)
	}
	if _, err := echo.Refuse("::1"); err == nil {
		t.Fatal("an IPv6 address was accepted")
	}
}
