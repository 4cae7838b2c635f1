package otlp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/tracegate/tracegate/framework/spans"
)

// QueryServer lets other Ginkgo processes read a Store: with a cluster, one receiver on process
// 1 is where the gateway exports, and every process asks it for its spans. It binds 127.0.0.1
// only, whatever address the receiver itself needs.
type QueryServer struct {
	URL string
	srv *http.Server
}

// ServeQueries serves store on 127.0.0.1 at a free port.
func ServeQueries(store *Store) (*QueryServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /spans", func(w http.ResponseWriter, r *http.Request) {
		var list spans.List
		if id := r.URL.Query().Get("trace"); id != "" {
			list = store.Trace(id)
		} else {
			list = store.All()
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(queryResult{Spans: toWire(list), Dropped: store.Dropped()})
	})
	// A long poll: answers when the next spans are stored (Remote.Changed).
	mux.HandleFunc("GET /changed", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-store.Changed():
			w.WriteHeader(http.StatusNoContent)
		case <-r.Context().Done():
		}
	})
	q := &QueryServer{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = q.srv.Serve(ln) }()
	return q, nil
}

// Close stops the server.
func (q *QueryServer) Close() error {
	if err := q.srv.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Remote is a spans.Source read from a QueryServer. A query that fails returns no spans and
// records the error, which failure messages show through Err.
type Remote struct {
	base   string
	client *http.Client

	mu      sync.Mutex
	changed chan struct{} // closed by the one long poll under way (Changed); nil when none is
}

var (
	_ spans.Source   = (*Remote)(nil)
	_ spans.Notifier = (*Remote)(nil)
)

// Changed implements spans.Notifier with one long poll of the query server at a time, shared
// by every waiter: its channel is closed when the server's store next stores spans. Spans stored
// before the poll reached the server do not close it, and a poll that fails (the server gone, the
// client's timeout) leaves it open: a waiter finds those at its next poll, as without a notifier.
func (r *Remote) Changed() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.changed == nil {
		r.changed = make(chan struct{})
		go r.watch(r.changed)
	}
	return r.changed
}

func (r *Remote) watch(changed chan struct{}) {
	rsp, err := r.client.Get(r.base + "/changed")
	if err == nil {
		rsp.Body.Close()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changed = nil
	if err == nil && rsp.StatusCode == http.StatusNoContent {
		close(changed)
	}
}

// NewRemote reads spans from the QueryServer at baseURL.
func NewRemote(baseURL string) *Remote {
	return &Remote{base: baseURL, client: &http.Client{Timeout: 10 * time.Second}}
}

// Trace implements spans.Source.
func (r *Remote) Trace(traceID string) spans.List {
	res, _ := r.fetch(context.Background(), "trace="+url.QueryEscape(traceID))
	return res.list()
}

// All implements spans.Source.
func (r *Remote) All() spans.List {
	res, _ := r.fetch(context.Background(), "")
	return res.list()
}

// Dropped implements spans.Source.
func (r *Remote) Dropped() int64 {
	res, _ := r.fetch(context.Background(), "trace=-")
	return res.Dropped
}

// Check reports whether the query server answers, for a clear error at start-up.
func (r *Remote) Check(ctx context.Context) error {
	_, err := r.fetch(ctx, "trace=-")
	return err
}

func (r *Remote) fetch(ctx context.Context, query string) (queryResult, error) {
	var res queryResult
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+"/spans?"+query, nil)
	if err != nil {
		return res, err
	}
	rsp, err := r.client.Do(req)
	if err != nil {
		return res, fmt.Errorf("querying spans from %s: %w", r.base, err)
	}
	defer rsp.Body.Close()
	if rsp.StatusCode != http.StatusOK {
		return res, fmt.Errorf("querying spans from %s: %s", r.base, rsp.Status)
	}
	return res, json.NewDecoder(rsp.Body).Decode(&res)
}

type queryResult struct {
	Spans   []wireSpan `json:"spans"`
	Dropped int64      `json:"dropped"`
}

func (q queryResult) list() spans.List {
	out := make(spans.List, 0, len(q.Spans))
	for _, w := range q.Spans {
		out = append(out, w.span())
	}
	return out
}

// wireSpan is a span with typed attribute values, so an int64 stays an int64 over JSON.
type wireSpan struct {
	spans.Span
	Attributes map[string]wireValue `json:"Attributes"`
	Resource   map[string]wireValue `json:"Resource"`
}

type wireValue struct {
	String *string              `json:"s,omitempty"`
	Int    *int64               `json:"i,omitempty"`
	Double *float64             `json:"d,omitempty"`
	Bool   *bool                `json:"b,omitempty"`
	Bytes  []byte               `json:"y,omitempty"`
	Array  []wireValue          `json:"a,omitempty"`
	Map    map[string]wireValue `json:"m,omitempty"`
	IsArr  bool                 `json:"isa,omitempty"`
	IsMap  bool                 `json:"ism,omitempty"`
}

func toWire(list spans.List) []wireSpan {
	out := make([]wireSpan, 0, len(list))
	for _, s := range list {
		out = append(out, wireSpan{Span: s, Attributes: wireMap(s.Attributes), Resource: wireMap(s.Resource)})
	}
	return out
}

func (w wireSpan) span() spans.Span {
	s := w.Span
	s.Attributes, s.Resource = goMap(w.Attributes), goMap(w.Resource)
	return s
}

func wireMap(m map[string]any) map[string]wireValue {
	out := make(map[string]wireValue, len(m))
	for k, v := range m {
		out[k] = wire(v)
	}
	return out
}

func goMap(m map[string]wireValue) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v.value()
	}
	return out
}

func wire(v any) wireValue {
	switch x := v.(type) {
	case string:
		return wireValue{String: &x}
	case int64:
		return wireValue{Int: &x}
	case float64:
		return wireValue{Double: &x}
	case bool:
		return wireValue{Bool: &x}
	case []byte:
		return wireValue{Bytes: x}
	case []any:
		w := wireValue{IsArr: true}
		for _, e := range x {
			w.Array = append(w.Array, wire(e))
		}
		return w
	case map[string]any:
		return wireValue{IsMap: true, Map: wireMap(x)}
	}
	s := fmt.Sprint(v)
	return wireValue{String: &s}
}

func (w wireValue) value() any {
	switch {
	case w.String != nil:
		return *w.String
	case w.Int != nil:
		return *w.Int
	case w.Double != nil:
		return *w.Double
	case w.Bool != nil:
		return *w.Bool
	case w.IsArr:
		out := make([]any, 0, len(w.Array))
		for _, e := range w.Array {
			out = append(out, e.value())
		}
		return out
	case w.IsMap:
		return goMap(w.Map)
	}
	return w.Bytes
}
