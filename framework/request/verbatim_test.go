package request_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/request"
)

// A verbatim request puts white space around a header value on the wire, which Go's own client
// trims, and reads the answer like any other.
func TestVerbatimKeepsWhiteSpaceAroundValues(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			got <- err.Error()
			return
		}
		defer conn.Close()
		r := bufio.NewReader(conn)
		var head strings.Builder
		for {
			line, err := r.ReadString('\n')
			head.WriteString(line)
			if err != nil || line == "\r\n" {
				break
			}
		}
		got <- head.String()
		_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
	}()
	// A generous attempt timeout: the test checks bytes, never time.
	c := request.NewClient("http://"+ln.Addr().String(), config.RequestPolicy{AttemptTimeout: time.Minute, MaxBackoff: time.Second})
	rsp := c.Send(t.Context(), request.Verbatim(), request.NoTraceParent(), request.Host("ows.example.com"), request.Path("/trace?q=1"),
		request.RawHeader("traceparent", " \t00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 \t"))
	if rsp.Err != nil || rsp.Status != http.StatusOK || string(rsp.Body) != "ok" {
		t.Fatalf("the verbatim request got %v:\n%s", rsp.Err, rsp.Describe())
	}
	head := <-got
	for _, want := range []string{
		"GET /trace?q=1 HTTP/1.1\r\n",
		"Host: ows.example.com\r\n",
		"traceparent:  \t00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 \t\r\n",
	} {
		if !strings.Contains(head, want) {
			t.Errorf("the wire lacks %q:\n%q", want, head)
		}
	}
}

// A header value with a line break would smuggle a header of its own: refused, not sent.
func TestVerbatimRefusesLineBreaks(t *testing.T) {
	c := request.NewClient("http://127.0.0.1:1", config.RequestPolicy{AttemptTimeout: time.Minute, MaxBackoff: time.Second})
	rsp := c.Send(t.Context(), request.Verbatim(), request.RawHeader("tracestate", "a=1\r\nx-evil: 1"))
	if rsp.Err == nil || !strings.Contains(rsp.Err.Error(), "no line breaks") {
		t.Fatalf("got %v, want the line break refused", rsp.Err)
	}
}
