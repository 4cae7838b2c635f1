package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// jaegerResult is Jaeger's answer to a search: the traces' spans as OTLP/JSON under "result".
func jaegerResult(traceIDs ...string) string {
	var rs []string
	for i, id := range traceIDs {
		l := strings.TrimSpace(line("gw", id, "000000000000000"+string(rune('1'+i))))
		rs = append(rs, strings.TrimSuffix(strings.TrimPrefix(l, `{"resourceSpans":[`), `]}`))
	}
	return `{"result":{"resourceSpans":[` + strings.Join(rs, ",") + `]}}`
}

func TestJaegerStoreSearchesAServiceSince(t *testing.T) {
	since := time.Date(2026, 12, 1, 4, 0, 0, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path != "/api/v3/traces" || q.Get("query.start_time_min") != "2026-12-01T04:00:00Z" || q.Get("query.num_traces") != "99999" {
			http.Error(w, "unexpected search "+r.URL.String(), http.StatusBadRequest)
			return
		}
		switch q.Get("query.service_name") {
		case "gw":
			_, _ = w.Write([]byte(jaegerResult(traceA, traceB)))
		case "broken":
			http.Error(w, `{"error":{"httpCode":500,"message":"search depth must be greater than 0"}}`, http.StatusInternalServerError)
		default:
			http.Error(w, `{"error":{"httpCode":404,"message":"No traces found"}}`, http.StatusNotFound)
		}
	}))
	defer srv.Close()
	j := JaegerStore{URL: srv.URL, Since: since, Client: srv.Client()}
	s, err := j.Search(context.Background(), "gw")
	if err != nil {
		t.Fatal(err)
	}
	if s.Count("gw") != 2 || !s.Has(traceA) || !s.Has(traceB) {
		t.Errorf("snapshot %v: want traces A and B of gw", s)
	}
	if s, err := j.Search(context.Background(), "none"); err != nil || len(s) != 0 {
		t.Errorf("no traces found: %v, %v; want an empty snapshot", s, err)
	}
	if _, err := j.Search(context.Background(), "broken"); err == nil || !strings.Contains(err.Error(), "search depth") {
		t.Errorf("a failed search: %v; want its error", err)
	}
}
