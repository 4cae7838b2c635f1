package bench

import (
	"os"
	"path/filepath"
	"testing"
)

// line is one export request as the file exporter writes it (OTLP/JSON, hex ids), with one span.
func line(service, traceID, spanID string) string {
	return `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"` + service +
		`"}}]},"scopeSpans":[{"scope":{},"spans":[{"traceId":"` + traceID + `","spanId":"` + spanID +
		`","name":"strategy.example.com","kind":2,` +
		`"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000","status":{}}]}]}]}` + "\n"
}

const (
	traceA = "5b8efff798038103d269b633813fc60c"
	traceB = "0af7651916cd43dd8448eb211c80319c"
	traceC = "4bf92f3577b34da6a3ce929d0e0e4736"
)

func TestSnapshotCountsTracesOfAServiceOnce(t *testing.T) {
	s, err := ParseStore([]byte(line("gw", traceA, "0000000000000001") + line("gw", traceA, "0000000000000002") +
		line("gw", traceB, "0000000000000003") + line("other", traceC, "0000000000000004")))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Count("gw"); got != 2 {
		t.Errorf("Count(gw) = %d, want 2 (two spans of one trace count once)", got)
	}
	if got := s.Count("other"); got != 1 {
		t.Errorf("Count(other) = %d, want 1", got)
	}
	if !s.Has(traceC) || s.Has("00000000000000000000000000000001") {
		t.Errorf("Has: %v", s)
	}
}

func TestReadStoreLeavesALineBeingWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.jsonl")
	whole := line("gw", traceA, "0000000000000001")
	partial := line("gw", traceB, "0000000000000002")
	if err := os.WriteFile(path, []byte(whole+partial[:40]), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := ReadStore(path)
	if err != nil {
		t.Fatalf("a half-written last line is not an error: %v", err)
	}
	if !s.Has(traceA) || s.Has(traceB) || s.Count("gw") != 1 {
		t.Errorf("snapshot %v: want trace A only", s)
	}
	if s, err := ReadStore(filepath.Join(t.TempDir(), "none")); err != nil || len(s) != 0 {
		t.Errorf("a store not written yet: %v, %v; want empty, nil", s, err)
	}
}

func TestParseStoreRejectsAMalformedLine(t *testing.T) {
	if _, err := ParseStore([]byte(line("gw", traceA, "0000000000000001") + "{not json}\n")); err == nil {
		t.Error("a malformed line was accepted")
	}
}
