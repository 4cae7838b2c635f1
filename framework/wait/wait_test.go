package wait_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/wait"
)

var quick = config.Wait{
	Name:    "quick",
	Timeout: 200 * time.Millisecond,
	Polling: 5 * time.Millisecond,
	Source:  "waits.default.quick",
	Scale:   2,
}

func TestForReturnsWhenDone(t *testing.T) {
	n := 0
	err := wait.For(context.Background(), quick, "three polls", func(context.Context) (bool, string, error) {
		n++
		return n == 3, "poll", nil
	})
	if err != nil || n != 3 {
		t.Fatalf("err %v after %d polls; want nil after 3", err, n)
	}
}

func TestForTimeoutNamesTheWaitAndWhatItSaw(t *testing.T) {
	err := wait.For(context.Background(), quick, "the gateway to answer", func(context.Context) (bool, string, error) {
		return false, "status 503", nil
	})
	if !wait.IsTimeout(err) {
		t.Fatalf("want a timeout, got %v", err)
	}
	for _, want := range []string{
		"the gateway to answer",
		"quick (timeout 200ms from waits.default.quick, scaled x2 by the timeout scale, polling 5ms)",
		"last seen: status 503",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
}

func TestForStopsAtOnceOnAnError(t *testing.T) {
	boom := errors.New("the process exited")
	n := 0
	err := wait.For(context.Background(), quick, "ready", func(context.Context) (bool, string, error) {
		n++
		return false, "", boom
	})
	if !errors.Is(err, boom) || wait.IsTimeout(err) || n != 1 {
		t.Fatalf("err %v after %d polls; want the check's error after 1", err, n)
	}
}

func TestForSaysWhenTheCallerStoppedIt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	slow := quick
	slow.Timeout = time.Hour
	err := wait.For(ctx, slow, "ready", func(context.Context) (bool, string, error) {
		cancel()
		return false, "not yet", nil
	})
	if err == nil ||
		wait.IsTimeout(err) ||
		!strings.Contains(err.Error(), "stopped waiting for ready") ||
		!strings.Contains(err.Error(), "not yet") {
		t.Fatalf("want an interruption naming the last thing seen, got %v", err)
	}
}

func TestForRejectsAnUnresolvedWait(t *testing.T) {
	if err := wait.For(context.Background(), config.Wait{Name: "zero"}, "x", nil); err == nil {
		t.Fatal("a zero wait must be an error, not a busy loop")
	}
}
