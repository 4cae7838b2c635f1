package request_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/tracegate/tracegate/framework/request"
)

// TestUnanswerable: a request carrying a header the upstream cannot honour is refused before
// anything is sent; any other request goes out as usual.
func TestUnanswerable(t *testing.T) {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { sent.Add(1) }))
	defer srv.Close()
	var refused []string
	c := request.NewClient(
		srv.URL,
		policy,
		request.Unanswerable(func(h string) { refused = append(refused, h); panic("ended") }, "X-Echo-Status", "X-Echo-Hold"),
	)

	func() {
		defer func() { _ = recover() }()
		c.Send(context.Background(), request.Header("X-Echo-Hold", "1"))
	}()
	if len(refused) != 1 || refused[0] != "X-Echo-Hold" || sent.Load() != 0 {
		t.Errorf("a held request: refused %v, %d sent; want refused [X-Echo-Hold], none sent", refused, sent.Load())
	}
	if rsp := c.Send(context.Background(), request.Header("X-Other", "1")); rsp.Status != http.StatusOK ||
		sent.Load() != 1 ||
		len(refused) != 1 {
		t.Errorf("another request: status %d, %d sent, refused %v", rsp.Status, sent.Load(), refused)
	}
}
