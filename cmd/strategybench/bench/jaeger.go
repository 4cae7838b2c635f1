package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tracegate/tracegate/framework/otlp"
	"github.com/tracegate/tracegate/internal/text"
)

// jaegerSearchDepth is how many traces a search may return: all of them, as Jaeger's memory
// store allows up to (not including) its max_traces, 100000 in fixtures/bench/jaeger.yaml.tmpl.
const jaegerSearchDepth = 99999

// JaegerStore searches Jaeger v2's HTTP API (GET /api/v3/traces) for a service's traces.
type JaegerStore struct {
	URL    string    // http://host:port of its jaeger_query extension
	Since  time.Time // the search's earliest span start
	Client *http.Client
}

// Search asks for every trace of service started since Since. Jaeger answers OTLP/JSON under
// "result", or 404 when there are none.
func (j JaegerStore) Search(ctx context.Context, service string) (Snapshot, error) {
	q := url.Values{
		"query.service_name":   {service},
		"query.start_time_min": {j.Since.UTC().Format(time.RFC3339Nano)},
		"query.start_time_max": {time.Now().Add(time.Minute).UTC().Format(time.RFC3339Nano)},
		"query.num_traces":     {strconv.Itoa(jaegerSearchDepth)},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.URL+"/api/v3/traces?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	res, err := j.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	switch res.StatusCode {
	case http.StatusNotFound:
		return Snapshot{}, nil
	case http.StatusOK:
	default:
		return nil, fmt.Errorf("searching Jaeger: %s: %s", res.Status, text.Truncate(string(body), 300))
	}
	var found struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(body, &found); err != nil || len(found.Result) == 0 {
		return nil, fmt.Errorf("searching Jaeger: no result in %q (%v)", text.Truncate(string(body), 300), err)
	}
	list, err := otlp.DecodeJSON(found.Result)
	if err != nil {
		return nil, fmt.Errorf("searching Jaeger: %w", err)
	}
	s := Snapshot{}
	s.add(list)
	return s, nil
}
