package otlp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	"github.com/tracegate/tracegate/framework/spans"
)

// maxBodySize bounds a request before and after decompression, so a broken or hostile
// exporter cannot exhaust the suite's memory.
const maxBodySize = 64 << 20

// Receiver accepts OTLP trace exports over gRPC and HTTP and keeps the spans in a Store.
type Receiver struct {
	store    *Store
	maxBody  int64
	grpcLis  net.Listener
	httpLis  net.Listener
	grpcSrv  *grpc.Server
	httpSrv  *http.Server
	served   sync.WaitGroup
	serveErr chan error
	stats    counters

	shutdownOnce sync.Once
	shutdownErr  error
}

type config struct {
	host     string
	grpcPort int
	httpPort int
	capacity int
	store    *Store
	maxBody  int64
	listen   func(network, addr string) (net.Listener, error)
}

// Option configures Start.
type Option func(*config)

// WithAddress sets the host both listeners bind to; it defaults to 127.0.0.1 so the suite
// never exposes a receiver beyond the machine. A gateway in a container may need another.
func WithAddress(host string) Option { return func(c *config) { c.host = host } }

// WithGRPCPort sets the OTLP/gRPC port; 0, the default, picks a free one.
func WithGRPCPort(port int) Option { return func(c *config) { c.grpcPort = port } }

// WithHTTPPort sets the OTLP/HTTP port; 0, the default, picks a free one.
func WithHTTPPort(port int) Option { return func(c *config) { c.httpPort = port } }

// WithCapacity sets the capacity of the store Start creates (default DefaultCapacity). It
// has no effect together with WithStore.
func WithCapacity(n int) Option { return func(c *config) { c.capacity = n } }

// WithStore makes the receiver add spans to an existing store, e.g. one shared by several
// receivers.
func WithStore(s *Store) Option { return func(c *config) { c.store = s } }

// WithListen makes the receiver open its listeners with listen instead of net.Listen, for
// example inside a network namespace.
func WithListen(listen func(network, addr string) (net.Listener, error)) Option {
	return func(c *config) { c.listen = listen }
}

// withMaxBodySize lets tests exercise the limit without building 64 MiB bodies.
func withMaxBodySize(n int64) Option { return func(c *config) { c.maxBody = n } }

// Start listens on both ports and serves until Shutdown.
func Start(opts ...Option) (*Receiver, error) {
	cfg := config{host: "127.0.0.1", capacity: DefaultCapacity, maxBody: maxBodySize, listen: net.Listen}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.host == "" {
		// An empty host would bind every interface.
		return nil, errors.New("otlp: empty listen address")
	}
	if cfg.store == nil {
		cfg.store = NewStore(cfg.capacity)
	}
	grpcLis, err := cfg.listen("tcp", net.JoinHostPort(cfg.host, strconv.Itoa(cfg.grpcPort)))
	if err != nil {
		return nil, fmt.Errorf("otlp: gRPC listener: %w", err)
	}
	httpLis, err := cfg.listen("tcp", net.JoinHostPort(cfg.host, strconv.Itoa(cfg.httpPort)))
	if err != nil {
		grpcLis.Close()
		return nil, fmt.Errorf("otlp: HTTP listener: %w", err)
	}

	r := &Receiver{
		store:    cfg.store,
		maxBody:  cfg.maxBody,
		grpcLis:  grpcLis,
		httpLis:  httpLis,
		serveErr: make(chan error, 2),
	}
	r.grpcSrv = newGRPCServer(r)
	r.httpSrv = &http.Server{
		Handler:           &httpHandler{r: r},
		ReadHeaderTimeout: 10 * time.Second,
	}
	r.served.Add(2)
	go func() {
		defer r.served.Done()
		// ErrServerStopped means Shutdown came before Serve; Serve still closes the listener.
		if err := r.grpcSrv.Serve(grpcLis); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			r.serveErr <- err
		}
	}()
	go func() {
		defer r.served.Done()
		if err := r.httpSrv.Serve(httpLis); !errors.Is(err, http.ErrServerClosed) {
			r.serveErr <- err
		}
	}()
	return r, nil
}

// Store returns the store spans are added to.
func (r *Receiver) Store() *Store { return r.store }

// HTTPEndpoint returns the OTLP/HTTP base URL, e.g. http://127.0.0.1:4318; exporters
// append /v1/traces.
func (r *Receiver) HTTPEndpoint() string { return "http://" + r.httpLis.Addr().String() }

// GRPCEndpoint returns the OTLP/gRPC address as host:port.
func (r *Receiver) GRPCEndpoint() string { return r.grpcLis.Addr().String() }

// HTTPAddr returns the address the HTTP listener is bound to.
func (r *Receiver) HTTPAddr() net.Addr { return r.httpLis.Addr() }

// GRPCAddr returns the address the gRPC listener is bound to.
func (r *Receiver) GRPCAddr() net.Addr { return r.grpcLis.Addr() }

// Shutdown stops accepting connections and waits for in-flight exports until ctx ends, then
// cuts the rest off. Later calls return the first call's result.
func (r *Receiver) Shutdown(ctx context.Context) error {
	r.shutdownOnce.Do(func() { r.shutdownErr = r.shutdown(ctx) })
	return r.shutdownErr
}

func (r *Receiver) shutdown(ctx context.Context) error {
	var errs []error

	stopped := make(chan struct{})
	go func() {
		r.grpcSrv.GracefulStop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-ctx.Done():
		r.grpcSrv.Stop()
		<-stopped
		errs = append(errs, fmt.Errorf("otlp: gRPC shutdown: %w", ctx.Err()))
	}

	if err := r.httpSrv.Shutdown(ctx); err != nil {
		r.httpSrv.Close()
		errs = append(errs, fmt.Errorf("otlp: HTTP shutdown: %w", err))
	}

	r.served.Wait()
	close(r.serveErr)
	for err := range r.serveErr {
		errs = append(errs, fmt.Errorf("otlp: serve: %w", err))
	}
	return errors.Join(errs...)
}

// Stats counts what the receiver saw, for debugging a gateway that exports nothing or
// garbage.
type Stats struct {
	GRPCRequests         int64 // Export calls that reached the service
	HTTPProtobufRequests int64 // POST /v1/traces with application/x-protobuf
	HTTPJSONRequests     int64 // POST /v1/traces with application/json
	HTTPRefused          int64 // HTTP requests refused before decoding: path, method, media type, encoding
	Malformed            int64 // requests refused because their content could not be decoded or was invalid
	Spans                int64 // spans stored
	RejectedSpans        int64 // spans dropped because the store was full
}

// String is the counts in one line, for failure messages.
func (s Stats) String() string {
	return fmt.Sprintf("%d OTLP/gRPC, %d OTLP/HTTP protobuf and %d OTLP/HTTP JSON requests, "+
		"%d refused, %d malformed; %d spans stored, %d dropped",
		s.GRPCRequests, s.HTTPProtobufRequests, s.HTTPJSONRequests, s.HTTPRefused, s.Malformed, s.Spans, s.RejectedSpans)
}

type counters struct {
	grpc, httpProto, httpJSON, refused, malformed, spans, rejected atomic.Int64
}

// Stats returns a snapshot of the receiver's counters.
func (r *Receiver) Stats() Stats {
	c := &r.stats
	return Stats{
		GRPCRequests:         c.grpc.Load(),
		HTTPProtobufRequests: c.httpProto.Load(),
		HTTPJSONRequests:     c.httpJSON.Load(),
		HTTPRefused:          c.refused.Load(),
		Malformed:            c.malformed.Load(),
		Spans:                c.spans.Load(),
		RejectedSpans:        c.rejected.Load(),
	}
}

// accept stores a decoded request's spans and reports how many did not fit, with the
// message OTLP's partial success carries.
func (r *Receiver) accept(batch []spans.Span) (rejected int64, msg string) {
	n := len(batch)
	dropped := r.store.Add(batch)
	r.stats.spans.Add(int64(n - dropped))
	r.stats.rejected.Add(int64(dropped))
	if dropped == 0 {
		return 0, ""
	}
	return int64(dropped), fmt.Sprintf("span store full (capacity %d): %d of %d spans dropped", r.store.Cap(), dropped, n)
}
