package request_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/request"
)

func TestSessionSendsOverOneConnectionAndSaysSo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.RemoteAddr))
	}))
	defer srv.Close()
	s := request.NewClient(srv.URL, policy).Session()
	defer s.Close()
	first, second := s.Send(context.Background()), s.Send(context.Background())
	if first.Conn() == "" || first.Conn() != second.Conn() {
		t.Fatalf("a session's requests went over connections %q and %q, want one", first.Conn(), second.Conn())
	}
	// The server saw the same peer: Conn is the client's end of the connection.
	if string(first.Body) != first.Conn() || string(second.Body) != first.Conn() {
		t.Fatalf("the server saw peers %q and %q, the client recorded %q", first.Body, second.Body, first.Conn())
	}
}

func TestClientOutsideASessionOpensAConnectionPerRequest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	c := request.NewClient(srv.URL, policy)
	first, second := c.Send(context.Background()), c.Send(context.Background())
	if first.Conn() == "" || first.Conn() == second.Conn() {
		t.Fatalf("two requests of a plain client went over %q and %q, want two connections", first.Conn(), second.Conn())
	}
}

func TestSessionShowsAConnectionThatWasReplaced(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/close" {
			w.Header().Set("Connection", "close")
		}
	}))
	defer srv.Close()
	s := request.NewClient(srv.URL, policy).Session()
	defer s.Close()
	first := s.Send(context.Background(), request.Path("/close"))
	second := s.Send(context.Background())
	if first.Conn() == "" || second.Conn() == "" || first.Conn() == second.Conn() {
		t.Fatalf(
			"after the server closed the connection the session reported %q then %q, want two different connections",
			first.Conn(),
			second.Conn(),
		)
	}
}

func TestAttemptWithoutConnectionHasNoConn(t *testing.T) {
	r := request.NewClient("http://127.0.0.1:1", policy).Send(context.Background())
	if r.Conn() != "" {
		t.Fatalf("a refused request recorded connection %q", r.Conn())
	}
}

func TestFollowSendsOverTheConnectionThatAnsweredWhereConnectionsAreKept(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.RemoteAddr))
	}))
	defer srv.Close()
	c := request.NewClient(srv.URL, policy, request.KeepConnections(time.Minute))
	first, second := c.Send(context.Background()), c.Send(context.Background())
	if first.Conn() == "" || first.Conn() == second.Conn() {
		t.Fatalf("two requests of a client keeping connections went over %q and %q, want a fresh connection each", first.Conn(), second.Conn())
	}
	follow := first.Follow(context.Background())
	if follow == nil || follow.Conn() != first.Conn() || string(follow.Body) != first.Conn() {
		t.Fatalf("Follow of a request answered over %q: %+v, want the same connection", first.Conn(), follow)
	}
	if plain := request.NewClient(srv.URL, policy).Send(context.Background()); plain.Follow(context.Background()) != nil {
		t.Fatal("Follow sent a request although the client closes every connection with its answer")
	}
}
