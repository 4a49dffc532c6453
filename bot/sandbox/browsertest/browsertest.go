// Package browsertest starts headless Debian Chromium for tests of the
// sandbox page and offers the few actions they share. Tests fail, never
// skip, when Chromium is missing. It imports chromedp and the standard
// library.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath finds Debian's chromium, or the binary named by $CHROMIUM.
func ChromiumPath(t testing.TB) string {
	t.Helper()
	const install = "install it with `apt-get update && apt-get install -y chromium` (Debian's package)"
	if p := os.Getenv("CHROMIUM"); p != "" {
		found, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("CHROMIUM=%s: %v; unset it or %s", p, err, install)
		}
		return found
	}
	for _, p := range []string{"chromium", "/usr/bin/chromium"} {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
	}
	t.Fatal("chromium not found: " + install + ", or set CHROMIUM to a Chromium or Chrome binary")
	return ""
}

// New starts headless chromium with an empty profile and returns a tab
// context; the browser stops when the test ends.
func New(t testing.TB) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// Step runs actions and, if one fails, saves a screenshot and fails the test.
func Step(t testing.TB, ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		Screenshot(t, ctx, "failed-"+filepath.Base(t.Name())+".png")
		t.Fatalf("%s: %v", name, err)
	}
}

// WaitJS waits until the expression is true on the page.
func WaitJS(expr string) chromedp.Action[chromedp.Void] {
	poll := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		if _, err := poll(ctx, tg); err != nil {
			return chromedp.Void{}, fmt.Errorf("waiting for %s: %w", expr, err)
		}
		return chromedp.Void{}, nil
	}
}

// Screenshot writes the page as a PNG called name to $ARTIFACTS_DIR
// (default <tmp>/orderbot-artifacts), logs the path and returns it.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return ""
	}
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "orderbot-artifacts")
	}
	path := filepath.Join(dir, name)
	err = os.MkdirAll(dir, 0o755)
	if err == nil {
		err = os.WriteFile(path, png, 0o644)
	}
	if err != nil {
		t.Errorf("write screenshot: %v", err)
		return ""
	}
	t.Logf("screenshot: %s", path)
	return path
}
