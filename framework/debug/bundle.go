// Package debug writes the diagnostic bundle of a failed spec and, in debug mode, pauses with
// the environment still up so a person can look at it.
package debug

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tracegate/tracegate/framework/environment"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// Bundle is everything known about a failed spec.
type Bundle struct {
	Spec        string
	Failure     string
	Environment string
	Endpoints   map[string]string
	Requests    []*request.Response
	// Traces maps each trace id the spec's requests used to the spans received for it.
	Traces  map[string]spans.List
	Dropped int64
}

// Collect gathers the bundle for a spec from its request history and the span source.
func Collect(spec, failure, envName string, env environment.Environment, requests []*request.Response) Bundle {
	b := Bundle{Spec: spec, Failure: failure, Environment: envName, Requests: requests, Traces: map[string]spans.List{}}
	if env == nil {
		return b
	}
	b.Endpoints = env.Endpoints()
	src := env.Spans()
	b.Dropped = src.Dropped()
	for _, r := range requests {
		if id := r.TraceID(); id != "" {
			b.Traces[id] = src.Trace(id)
		}
	}
	return b
}

// String renders the bundle for a terminal.
func (b Bundle) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "=== tracegate diagnostic bundle: %s ===\n", b.Spec)
	fmt.Fprintf(&s, "environment: %s\n", b.Environment)
	s.WriteString("endpoints:\n")
	for _, k := range slices.Sorted(maps.Keys(b.Endpoints)) {
		fmt.Fprintf(&s, "  %-16s %s\n", k+":", b.Endpoints[k])
	}
	fmt.Fprintf(&s, "requests (%d):\n", len(b.Requests))
	for _, r := range b.Requests {
		s.WriteString(indent(r.Describe(), "  "))
	}
	fmt.Fprintf(&s, "spans received for this spec (receiver dropped %d in all):\n", b.Dropped)
	if len(b.Traces) == 0 {
		s.WriteString("  (the spec's requests carried no known trace id)\n")
	}
	for _, id := range slices.Sorted(maps.Keys(b.Traces)) {
		if len(b.Traces[id]) == 0 {
			fmt.Fprintf(&s, "  trace %s: no span arrived\n", id)
			continue
		}
		s.WriteString(indent(spans.Tree(b.Traces[id]), "  "))
		fmt.Fprintf(&s, "  picture: %s in the artifacts directory (opens in a browser)\n", PictureName(id))
	}
	if b.Failure != "" {
		fmt.Fprintf(&s, "failure:\n%s\n", indent(b.Failure, "  "))
	}
	return s.String()
}

// Write stores the bundle under dir as bundle.txt, spans.json and requests.json, then lets the
// environment add its own artifacts (gateway log, config, cluster state).
func (b Bundle) Write(dir string, env environment.Environment) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string]any{"spans.json": b.Traces, "requests.json": requestRecords(b.Requests)}
	for name, v := range files {
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "bundle.txt"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(b.Traces)) {
		if len(b.Traces[id]) == 0 {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, PictureName(id)), Waterfall(id, b.Traces[id], b.requestIn(id)), 0o644); err != nil {
			return err
		}
	}
	if env != nil {
		return env.CollectArtifacts(dir)
	}
	return nil
}

// PictureName is the file a trace's waterfall picture is written to.
func PictureName(traceID string) string { return "trace-" + traceID + ".svg" }

// requestIn returns the last request of the spec in the trace, if any.
func (b Bundle) requestIn(traceID string) *request.Response {
	var found *request.Response
	for _, r := range b.Requests {
		if r.TraceID() == traceID {
			found = r
		}
	}
	return found
}

type requestRecord struct {
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	Host        string            `json:"host,omitempty"`
	TraceParent string            `json:"traceparent,omitempty"`
	Status      int               `json:"status,omitempty"`
	Error       string            `json:"error,omitempty"`
	Attempts    []request.Attempt `json:"attempts"`
}

func requestRecords(rs []*request.Response) []requestRecord {
	out := []requestRecord{}
	for _, r := range rs {
		rec := requestRecord{Method: r.Request.Method, URL: r.URL, Host: r.Request.Host, Status: r.Status, Attempts: r.Attempts}
		if r.Request.TraceParent != nil {
			rec.TraceParent = r.Request.TraceParent.String()
		}
		if r.Err != nil {
			rec.Error = r.Err.Error()
		}
		out = append(out, rec)
	}
	return out
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Dir is where a spec's artifacts go: one directory per spec and process, so parallel
// processes never write into each other's.
func Dir(root, spec string, now time.Time) string {
	name := strings.Trim(unsafeChars.ReplaceAllString(spec, "-"), "-")
	if len(name) > 80 {
		name = name[:80]
	}
	return filepath.Join(root, fmt.Sprintf("%s-%s-p%d", name, now.Format("150405"), os.Getpid()))
}

func indent(text, prefix string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix) + "\n"
}
