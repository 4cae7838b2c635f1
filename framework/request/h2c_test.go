package request_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/request"
)

// H2C goes over HTTP/2 with prior knowledge, its headers with it; without it, HTTP/1.1.
func TestH2CSendsHTTP2WithoutTLS(t *testing.T) {
	var proto, tracestate string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto, tracestate = r.Proto, r.Header.Get("tracestate")
	}))
	srv.Config.Protocols = new(http.Protocols)
	srv.Config.Protocols.SetHTTP1(true)
	srv.Config.Protocols.SetUnencryptedHTTP2(true)
	srv.Start()
	defer srv.Close()
	c := request.NewClient(srv.URL, policy)
	if r := c.Send(
		context.Background(),
		request.H2C(),
		request.RawHeader("tracestate", "foo=1"),
	); r.Err != nil || proto != "HTTP/2.0" || tracestate != "foo=1" {
		t.Errorf("with H2C: %v, the server saw %s and tracestate %q", r.Err, proto, tracestate)
	}
	if r := c.Send(context.Background()); r.Err != nil || proto != "HTTP/1.1" {
		t.Errorf("without: %v, the server saw %s", r.Err, proto)
	}
	if r := c.Send(context.Background(), request.H2C(), request.Verbatim()); r.Err == nil {
		t.Error("a verbatim request over h2c was sent")
	}
}

// A client keeping connections keeps an h2c request's connection too, and Follow with H2C goes
// over it: a marker after an h2c request shares its gateway worker.
func TestFollowOverTheH2CConnectionThatAnswered(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.Proto + " " + r.RemoteAddr))
	}))
	srv.Config.Protocols = new(http.Protocols)
	srv.Config.Protocols.SetHTTP1(true)
	srv.Config.Protocols.SetUnencryptedHTTP2(true)
	srv.Start()
	defer srv.Close()
	c := request.NewClient(srv.URL, policy, request.KeepConnections(time.Minute))
	first := c.Send(context.Background(), request.H2C())
	follow := first.Follow(context.Background(), request.H2C())
	if first.Err != nil ||
		follow == nil ||
		follow.Conn() == "" ||
		follow.Conn() != first.Conn() ||
		string(follow.Body) != "HTTP/2.0 "+first.Conn() {
		t.Fatalf("Follow of an h2c request answered over %q (%v): %+v, want HTTP/2.0 over the same connection", first.Conn(), first.Err, follow)
	}
}
