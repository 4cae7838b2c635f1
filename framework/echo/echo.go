// Package echo is the upstream behind the gateway: it answers every request with a JSON record
// of what it received, so specs can see the headers (traceparent above all) the gateway forwarded.
package echo

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
)

// StatusHeader asks the echo upstream to answer with that status code instead of 200, so a spec
// can make the upstream fail without a gateway route of its own.
const StatusHeader = "X-Echo-Status"

// HoldHeader, with any value, asks the echo upstream not to answer until the caller gives up
// (the gateway's upstream timeout) or the server closes: an upstream that times out, with no
// duration in the spec.
const HoldHeader = "X-Echo-Hold"

// Record is what the upstream received, as it sends it back in the response body.
type Record struct {
	Method  string      `json:"method"`
	Path    string      `json:"path"`
	Host    string      `json:"host"`
	Headers http.Header `json:"headers"`
}

// Server is a running echo upstream.
type Server struct {
	// Addr is host:port, the form gateway configs want.
	Addr string
	srv  *http.Server
}

// Start serves on addr ("127.0.0.1:0" picks a free port).
func Start(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return Serve(ln), nil
}

// Serve serves on a listener the caller opened, e.g. inside a network namespace.
func Serve(ln net.Listener) *Server {
	s := &Server{Addr: ln.Addr().String(), srv: &http.Server{Handler: http.HandlerFunc(handle)}}
	go func() { _ = s.srv.Serve(ln) }()
	return s
}

// Close stops the server and its connections.
func (s *Server) Close() error {
	if err := s.srv.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func handle(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get(HoldHeader) != "" {
		<-r.Context().Done() // the gateway closed the connection, or Close did
		return
	}
	status := http.StatusOK
	if v := r.Header.Get(StatusHeader); v != "" {
		code, err := strconv.Atoi(v)
		if err != nil || code < 200 || code > 599 {
			http.Error(w, StatusHeader+" must be a status code from 200 to 599, got "+strconv.Quote(v), http.StatusBadRequest)
			return
		}
		status = code
	}
	body, _ := json.Marshal(Record{Method: r.Method, Path: r.URL.Path, Host: r.Host, Headers: r.Header})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
