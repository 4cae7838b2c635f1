// Package otlp is the suite's OTLP trace receiver (gRPC, HTTP protobuf, HTTP JSON) and its bounded span store.
package otlp

import (
	"context"
	"sync"
	"time"

	"github.com/tracegate/tracegate/framework/spans"
)

// DefaultCapacity is how many spans a store keeps when no capacity is given. A conformance
// run sends a few spans per spec, so this only matters when a gateway misbehaves and floods.
const DefaultCapacity = 100000

var (
	_ spans.Source   = (*Store)(nil)
	_ spans.Notifier = (*Store)(nil)
)

// Store is a bounded in-memory span store, safe for concurrent use. Spans are immutable once
// stored: queries return fresh slices, but the attribute maps inside are shared and must not
// be modified.
type Store struct {
	mu       sync.Mutex
	capacity int
	byTrace  map[string]spans.List
	all      spans.List
	dropped  int64
	// changed is closed and replaced whenever spans are stored, so waiters can block on it
	// instead of polling.
	changed chan struct{}
}

// NewStore returns an empty store that keeps at most capacity spans; a capacity below 1
// means DefaultCapacity.
func NewStore(capacity int) *Store {
	if capacity < 1 {
		capacity = DefaultCapacity
	}
	return &Store{
		capacity: capacity,
		byTrace:  map[string]spans.List{},
		changed:  make(chan struct{}),
	}
}

// Add stores the batch until the store is full and counts the rest as dropped, so every span
// received is either queryable or visible in Dropped. It returns how many were dropped.
func (s *Store) Add(batch []spans.Span) (rejected int) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	stored := 0
	for _, sp := range batch {
		if len(s.all) >= s.capacity {
			rejected++
			continue
		}
		if sp.Received.IsZero() {
			sp.Received = now
		}
		s.all = append(s.all, sp)
		s.byTrace[sp.TraceID] = append(s.byTrace[sp.TraceID], sp)
		stored++
	}
	s.dropped += int64(rejected)
	if stored > 0 {
		close(s.changed)
		s.changed = make(chan struct{})
	}
	return rejected
}

// Trace returns every stored span with the given trace id, in arrival order.
func (s *Store) Trace(traceID string) spans.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.byTrace[traceID])
}

// Dropped returns how many spans were received but not stored because the store was full.
func (s *Store) Dropped() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Len returns how many spans are stored.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.all)
}

// Cap returns the most spans the store keeps.
func (s *Store) Cap() int { return s.capacity }

// All returns every stored span in arrival order.
func (s *Store) All() spans.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.all)
}

// Changed returns a channel that is closed when the next spans are stored.
func (s *Store) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// WaitFor blocks until done reports true for the spans of traceID, and returns them. If ctx
// ends first it returns the last spans seen together with ctx.Err(). A nil done waits for
// at least one span. done is called without the store's lock held, once per arrival.
func (s *Store) WaitFor(ctx context.Context, traceID string, done func(spans.List) bool) (spans.List, error) {
	if done == nil {
		done = func(l spans.List) bool { return len(l) > 0 }
	}
	for {
		// Taking the channel together with the snapshot means an Add that lands while done
		// runs still wakes us.
		s.mu.Lock()
		list := clone(s.byTrace[traceID])
		changed := s.changed
		s.mu.Unlock()
		if done(list) {
			return list, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return list, ctx.Err()
		}
	}
}

func clone(l spans.List) spans.List {
	if len(l) == 0 {
		return nil
	}
	return append(spans.List(nil), l...)
}
