package debug_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/debug"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

func trace() (spans.List, *request.Response) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tp := request.TraceParent{TraceID: "0af7651916cd43dd8448eb211c80319c", ParentID: "b7ad6b7169203331", Sampled: true}
	rsp := &request.Response{Request: request.Request{Method: "GET", Host: "a<b>&c.example.com", Path: "/x", TraceParent: &tp},
		Attempts: []request.Attempt{{Number: 1, Start: t0}}, Received: t0.Add(5 * time.Millisecond)}
	list := spans.List{
		{
			TraceID:      tp.TraceID,
			SpanID:       "1111111111111111",
			ParentSpanID: tp.ParentID,
			Name:         "ingress",
			Kind:         spans.KindServer,
			Status:       spans.StatusError,
			Start:        t0.Add(time.Millisecond),
			End:          t0.Add(4 * time.Millisecond),
			Attributes:   map[string]any{"http.status_code": "500"},
		},
		{
			TraceID:      tp.TraceID,
			SpanID:       "2222222222222222",
			ParentSpanID: "1111111111111111",
			Name:         "router upstream egress",
			Kind:         spans.KindClient,
			Status:       spans.StatusError,
			Start:        t0.Add(2 * time.Millisecond),
			End:          t0.Add(3 * time.Millisecond),
		},
	}
	return list, rsp
}

func TestWaterfallIsWellFormedAndHasEverySpan(t *testing.T) {
	list, rsp := trace()
	svg := debug.Waterfall(list[0].TraceID, list, rsp)
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		if _, err := dec.Token(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
	}
	for _, want := range []string{
		"<svg",
		"span=1111111111111111",
		"span=2222222222222222",
		"client GET a&lt;b&gt;&amp;c.example.com /x",
		`fill="#d84b3b"`,
		"http.status_code=500",
	} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("picture lacks %q:\n%s", want, svg)
		}
	}
	if strings.Index(string(svg), "span=1111111111111111") > strings.Index(string(svg), "span=2222222222222222") {
		t.Error("the child is drawn before its parent")
	}
}

func TestBundleWritesAPicturePerTrace(t *testing.T) {
	list, rsp := trace()
	b := debug.Bundle{
		Spec:     "s",
		Requests: []*request.Response{rsp},
		Traces:   map[string]spans.List{list[0].TraceID: list, "ffffffffffffffffffffffffffffffff": nil},
	}
	dir := t.TempDir()
	if err := b.Write(dir, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, debug.PictureName(list[0].TraceID))); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, debug.PictureName("ffffffffffffffffffffffffffffffff"))); err == nil {
		t.Error("a picture for a trace without spans")
	}
	if !strings.Contains(b.String(), "picture: "+debug.PictureName(list[0].TraceID)) {
		t.Errorf("the bundle does not print the picture's name:\n%s", b.String())
	}
}
