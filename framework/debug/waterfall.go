package debug

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// Layout of the waterfall picture, in SVG user units.
const (
	rowHeight  = 22
	labelWidth = 560
	barsWidth  = 520
	margin     = 10
)

// Waterfall draws a trace as a self-contained SVG that opens in any browser: the client's
// request (when the spec sent one in this trace), then every span in tree order, each a bar
// placed by its start and sized by its duration, labelled with kind, name, status, duration and
// the attributes that matter.
func Waterfall(traceID string, list spans.List, client *request.Response) []byte {
	type row struct {
		label      string
		start, end time.Time
		class      string
	}
	var rows []row
	if client != nil && len(client.Attempts) > 0 && !client.Received.IsZero() {
		rows = append(rows, row{
			fmt.Sprintf("client %s %s %s (%d attempt(s))", client.Request.Method, client.Request.Host, client.Request.Path, len(client.Attempts)),
			client.Attempts[0].Start,
			client.Received,
			"client",
		})
	}
	for _, s := range treeOrder(list) {
		label := fmt.Sprintf("%s%s %q %s %s", strings.Repeat("  ", s.depth), s.Kind, s.Name, s.Status, s.End.Sub(s.Start).Round(time.Microsecond))
		for _, k := range []string{"http.status_code", "http.response.status_code", "upstream_cluster", "error.type"} {
			if v, ok := s.Attributes[k]; ok {
				label += fmt.Sprintf(" %s=%v", k, v)
			}
		}
		rows = append(rows, row{label + " span=" + s.SpanID, s.Start, s.End, strings.ToLower(string(s.Kind))})
	}
	var first, last time.Time
	for _, r := range rows {
		if first.IsZero() || (!r.start.IsZero() && r.start.Before(first)) {
			first = r.start
		}
		if r.end.After(last) {
			last = r.end
		}
	}
	total := max(last.Sub(first), time.Microsecond)
	x := func(t time.Time) float64 { return labelWidth + float64(t.Sub(first))/float64(total)*barsWidth }

	var b bytes.Buffer
	height := (len(rows)+2)*rowHeight + 2*margin
	fmt.Fprintf(
		&b,
		`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="monospace" font-size="11">`+"\n",
		labelWidth+barsWidth+2*margin,
		height,
	)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">trace %s: %d span(s), %s from the first start to the last end</text>`+"\n",
		margin, margin+12, escape(traceID), len(list), total.Round(time.Microsecond))
	for i, r := range rows {
		y := margin + (i+1)*rowHeight
		fill := map[string]string{"client": "#888888", "server": "#3b7dd8"}[r.class] // other spans green
		if fill == "" {
			fill = "#5aa469"
		}
		if strings.Contains(r.label, " ERROR ") {
			fill = "#d84b3b"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", margin, y+14, escape(r.label))
		w := max(x(r.end)-x(r.start), 1)
		fmt.Fprintf(
			&b,
			`<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
			x(r.start),
			y+3,
			w,
			rowHeight-6,
			fill,
			escape(r.label),
		)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

type placed struct {
	spans.Span
	depth int
}

// treeOrder lists spans depth-first from their roots (spans whose parent is not in the list),
// children by start time.
func treeOrder(list spans.List) []placed {
	byID := map[string]bool{}
	children := map[string]spans.List{}
	for _, s := range list {
		byID[s.SpanID] = true
	}
	var roots spans.List
	for _, s := range list {
		if s.ParentSpanID == "" || !byID[s.ParentSpanID] {
			roots = append(roots, s)
		} else {
			children[s.ParentSpanID] = append(children[s.ParentSpanID], s)
		}
	}
	byStart := func(a, b spans.Span) int { return a.Start.Compare(b.Start) }
	var out []placed
	var walk func(spans.List, int)
	walk = func(l spans.List, depth int) {
		l = slices.Clone(l)
		slices.SortStableFunc(l, byStart)
		for _, s := range l {
			out = append(out, placed{s, depth})
			walk(children[s.SpanID], depth+1)
		}
	}
	walk(roots, 0)
	return out
}

func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
