package matrix_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/tracegate/tracegate/cmd/internal/matrix"
)

// TestPageInBrowser opens the page make test builds from its own runs' reports (MATRIX_PAGE,
// set by make e2e-matrix) in headless Chromium, checks it and takes a screenshot
// (MATRIX_SCREENSHOT, or matrix.png beside the page).
func TestPageInBrowser(t *testing.T) {
	page := os.Getenv("MATRIX_PAGE")
	if page == "" {
		t.Skip("MATRIX_PAGE is not set: make e2e-matrix builds the page from make test's reports and sets it")
	}
	shot := os.Getenv("MATRIX_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(filepath.Dir(page), "matrix.png")
	}
	ctx := browser(t)
	if err := checkPage(ctx, page, shot); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s checked in Chromium; screenshot %s", page, shot)
}

// browser starts headless Chromium for the test: Debian's chromium, which scripts/chromium.sh
// installs under CI=true; elsewhere a missing chromium skips the test, saying how to install it.
func browser(t *testing.T) context.Context {
	t.Helper()
	out, err := exec.Command("bash", "../../../scripts/chromium.sh").Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 3 {
			t.Skipf("headless Chromium is needed: %s", strings.TrimSpace(string(exit.Stderr)))
		}
		t.Fatalf("scripts/chromium.sh: %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(strings.TrimSpace(string(out))),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1900, 1100), // every column of make matrix in the screenshot
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute) // a bound on a hung browser, not a wait of a spec
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// dom is what the page shows, as its DOM has it.
type dom struct {
	Columns []string `json:"columns"`
	Rows    []struct {
		Key   string `json:"key"`
		Cells []struct {
			Column string `json:"column"`
			Result string `json:"result"`
			Link   string `json:"link"`
		} `json:"cells"`
	} `json:"rows"`
	Links []string `json:"links"`
	IDs   []string `json:"ids"`
	// Bundles are the evidence articles that link a bundle.txt, by id.
	Bundles []string `json:"bundles"`
}

const readDOM = `(() => ({
  columns: [...document.querySelectorAll('thead th[data-col]')].map(e => e.dataset.col),
  rows: [...document.querySelectorAll('tbody tr')].map(tr => ({
    key: tr.dataset.row || '',
    cells: [...tr.querySelectorAll('td')].map(td => ({
      column: td.dataset.col || '', result: td.dataset.result || '',
      link: (td.querySelector('a') || {getAttribute: () => ''}).getAttribute('href') || ''})),
  })),
  links: [...document.querySelectorAll('[href], [src]')].map(e => e.getAttribute('href') || e.getAttribute('src')),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  bundles: [...document.querySelectorAll('article')].filter(a => a.querySelector('a[href$="/bundle.txt"]')).map(a => a.id),
}))()`

// checkPage opens page in the browser, checks it against matrix.json beside it (one cell per row
// and column, every cell that is not a pass linked to its evidence, every link resolving to an
// element or a file beside the page, nothing from the network, no console error) and writes a
// screenshot to shot.
func checkPage(ctx context.Context, page, shot string) error {
	abs, err := filepath.Abs(page)
	if err != nil {
		return err
	}
	var want struct {
		Columns []struct{ Key string } `json:"columns"`
		Rows    []struct{ Key string } `json:"rows"`
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(abs), matrix.JSONName))
	if err == nil {
		err = json.Unmarshal(data, &want)
	}
	if err != nil {
		return fmt.Errorf("the page's %s: %w", matrix.JSONName, err)
	}
	var mu sync.Mutex
	var consoleErrors []string
	err = chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			consoleErrors = append(consoleErrors, "exception: "+e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				consoleErrors = append(consoleErrors, fmt.Sprintf("console.error: %v", e.Args))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				consoleErrors = append(consoleErrors, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	})
	if err != nil {
		return fmt.Errorf("starting Chromium: %w", err)
	}
	err = chromedp.Do(ctx, enable(log.Enable), enable(runtime.Enable),
		chromedp.Navigate("file://"+abs), chromedp.WaitReady(chromedp.CSS("body")))
	if err != nil {
		return fmt.Errorf("opening %s in Chromium: %w", abs, err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[dom](readDOM))
	if err != nil {
		return fmt.Errorf("reading the DOM of %s: %w", abs, err)
	}
	png, err := screenshot(ctx)
	if err != nil {
		return fmt.Errorf("a screenshot of %s: %w", abs, err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		return err
	}
	var problems []string
	problems = append(problems, checkGrid(got, want.Columns, want.Rows)...)
	problems = append(problems, checkLinks(got, filepath.Dir(abs))...)
	mu.Lock()
	problems = append(problems, consoleErrors...)
	mu.Unlock()
	if len(problems) > 0 {
		return fmt.Errorf("%s: %d problem(s):\n  %s", page, len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}

// screenshot captures the page's top, as wide as its table, so that every column shows (the
// README's picture of make matrix).
func screenshot(ctx context.Context) ([]byte, error) {
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int64]("document.documentElement.scrollWidth"))
	if err != nil {
		return nil, err
	}
	if width > 1900 {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 1100)); err != nil {
			return nil, err
		}
	}
	return chromedp.Run(ctx, chromedp.CaptureScreenshot())
}

func checkGrid(got dom, columns, rows []struct{ Key string }) []string {
	var p []string
	var wantCols []string
	for _, c := range columns {
		wantCols = append(wantCols, c.Key)
	}
	if !slices.Equal(got.Columns, wantCols) || len(wantCols) == 0 {
		p = append(p, fmt.Sprintf("columns: expected %q (matrix.json), got %q", wantCols, got.Columns))
	}
	if len(got.Rows) != len(rows) || len(rows) == 0 {
		p = append(p, fmt.Sprintf("rows: expected %d (matrix.json), got %d", len(rows), len(got.Rows)))
	}
	for i, r := range got.Rows {
		if i < len(rows) && r.Key != rows[i].Key {
			p = append(p, fmt.Sprintf("row %d: expected %q, got %q", i+1, rows[i].Key, r.Key))
		}
		var cols []string
		for _, c := range r.Cells {
			cols = append(cols, c.Column)
			if !matrix.LookOf(c.Result).Pass && !strings.HasPrefix(c.Link, "#") {
				p = append(p, fmt.Sprintf("row %q, column %q: result %q opens no evidence", r.Key, c.Column, c.Result))
			}
			// A failure's and a deviation's run wrote a bundle (requests, spans, the trace's picture).
			if (c.Result == "failedSpecs" || c.Result == "deviations") && !slices.Contains(got.Bundles, strings.TrimPrefix(c.Link, "#")) {
				p = append(p, fmt.Sprintf("row %q, column %q: the %s's evidence links no bundle.txt", r.Key, c.Column, matrix.LookOf(c.Result).Words))
			}
		}
		if !slices.Equal(cols, wantCols) {
			p = append(p, fmt.Sprintf("row %q: expected one cell per column %q, got %q", r.Key, wantCols, cols))
		}
	}
	return p
}

func checkLinks(got dom, dir string) []string {
	var p []string
	for _, l := range got.Links {
		if id, ok := strings.CutPrefix(l, "#"); ok {
			if !slices.Contains(got.IDs, id) {
				p = append(p, fmt.Sprintf("link %q: no element has that id", l))
			}
			continue
		}
		u, err := url.Parse(l)
		if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") {
			p = append(p, fmt.Sprintf("link %q: not a file beside the page (the page must be self-contained)", l))
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(u.Path))); err != nil {
			p = append(p, fmt.Sprintf("link %q: %v", l, err))
		}
	}
	return p
}

// enable runs a domain's enable command, so that its events (console, log) reach the listener.
func enable(c cdp.Command[cdp.Empty, cdp.Empty]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, c, cdp.Empty{})
		return chromedp.Void{}, err
	}
}
