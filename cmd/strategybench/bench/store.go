package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/tracegate/tracegate/framework/otlp"
	"github.com/tracegate/tracegate/framework/spans"
)

// Store is where the count-delta strategy searches for a gateway's traces.
type Store interface {
	// Search returns what the store holds now, at least every trace of service.
	Search(ctx context.Context, service string) (Snapshot, error)
}

// FileStore is a collector's file exporter output read as a store: the stand-in for a trace
// store where none builds.
type FileStore struct{ Path string }

// Search reads the whole file.
func (f FileStore) Search(context.Context, string) (Snapshot, error) { return ReadStore(f.Path) }

// Snapshot is what one search of the trace store found: for each trace id, the service names
// of its spans.
type Snapshot map[string]map[string]bool

// ReadStore reads the file exporter's output, one OTLP/JSON export request per line. A last
// line without its newline is still being written and is left for the next read.
func ReadStore(path string) (Snapshot, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return Snapshot{}, nil
	}
	if err != nil {
		return nil, err
	}
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[:i+1]
	} else {
		b = nil
	}
	return ParseStore(b)
}

// ParseStore reads complete lines of OTLP/JSON export requests.
func ParseStore(b []byte) (Snapshot, error) {
	s := Snapshot{}
	for n, line := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		list, err := otlp.DecodeJSON(line)
		if err != nil {
			return nil, fmt.Errorf("line %d of the store: %w", n+1, err)
		}
		s.add(list)
	}
	return s, nil
}

func (s Snapshot) add(list spans.List) {
	for _, sp := range list {
		if s[sp.TraceID] == nil {
			s[sp.TraceID] = map[string]bool{}
		}
		name, _ := sp.Resource["service.name"].(string)
		s[sp.TraceID][name] = true
	}
}

// Count is the number of traces with a span from service: the search Envoy Gateway's tests
// make by tags (service.name among them), counting the traces it returns.
func (s Snapshot) Count(service string) int {
	n := 0
	for _, services := range s {
		if services[service] {
			n++
		}
	}
	return n
}

// Has reports whether the store holds a span of the trace.
func (s Snapshot) Has(traceID string) bool { return len(s[traceID]) > 0 }
