package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's chromium, or the binary named by $CHROMIUM.
// The test fails without one: the page is only proven in a real browser.
func chromiumPath(t *testing.T) string {
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

// newBrowser starts headless chromium with an empty profile and returns a
// tab context; the browser stops when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
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

// TestBrowser_ChatPage drives the page in headless chromium: pick a
// persona, send /start, see the reply arrive live, get an alert from one
// button, press the other and see the same bubble edited, upload a CSV, share the phone from the reply
// keyboard, and check that echoed markup stays text.
func TestBrowser_ChatPage(t *testing.T) {
	f := newFixture(t)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.http.URL+"/")); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	step(t, ctx, "pick Alice and connect",
		chromedp.WaitVisible(chromedp.CSS(`#personas .persona[data-id="2001"]`)),
		chromedp.Click(chromedp.CSS(`#personas .persona[data-id="1001"]`)),
		waitJS(`document.getElementById("status").textContent === "live"`))
	step(t, ctx, "send /start and see the reply live",
		chromedp.SendKeys(chromedp.CSS("#input"), "/start"),
		chromedp.Click(chromedp.CSS("#send")),
		waitJS(`document.querySelector(".msg.bot .kb button")?.textContent === "Confirm"`),
		waitJS(`document.querySelector(".msg.bot .text b")?.textContent === "Alice"`),
		waitJS(`document.querySelector("#replykb.on button")?.textContent.includes("Share phone")`))
	bubbles := count(t, ctx, ".msg")
	step(t, ctx, "an alert answer opens a dialog",
		chromedp.Click(chromedp.CSS(".msg.bot .kb button:nth-child(2)")),
		waitJS(`document.getElementById("alert").open && document.getElementById("alert-text").textContent === "Call us: +1 555 0100"`),
		chromedp.Click(chromedp.CSS("#alert-ok")),
		waitJS(`!document.getElementById("alert").open`))
	step(t, ctx, "press the inline button and see the edit in place",
		chromedp.Click(chromedp.CSS(".msg.bot .kb button:first-child")),
		waitJS(`document.querySelector(".msg.bot .text").textContent === "Order #1 confirmed ✅"`),
		waitJS(`document.querySelector(".msg.bot .kb a")?.textContent.startsWith("Track") && !document.querySelector(".msg.bot .kb button")`),
		waitJS(`document.querySelector(".msg.bot .foot").textContent.startsWith("edited")`),
		waitJS(`[...document.querySelectorAll(".toast")].some((t) => t.textContent === "Done")`))
	if n := count(t, ctx, ".msg"); n != bubbles {
		t.Fatalf("the edit added bubbles: %d, want %d", n, bubbles)
	}
	saveScreenshot(t, ctx, "sandbox-chat-keyboards.png")
	uploadAndShare(t, ctx)
	step(t, ctx, "see a photo inline",
		chromedp.SendKeys(chromedp.CSS("#input"), "/photo"),
		chromedp.Click(chromedp.CSS("#send")),
		waitJS(`document.querySelector(".msg.bot img.photo")?.naturalWidth === 160`))
	step(t, ctx, "echoed markup stays text",
		chromedp.SendKeys(chromedp.CSS("#input"), `<img src=x onerror="window.pwned=1">`),
		chromedp.Click(chromedp.CSS("#send")),
		waitJS(`[...document.querySelectorAll(".msg.bot .text")].some((e) => e.textContent.startsWith("You said: <img"))`),
		waitJS(`document.querySelectorAll(".msg .text img").length === 0 && !window.pwned`))
	saveScreenshot(t, ctx, "sandbox-chat.png")
}

func uploadAndShare(t *testing.T, ctx context.Context) {
	csv := filepath.Join(t.TempDir(), "catalog.csv")
	if err := os.WriteFile(csv, []byte("sku,name,price,stock\nTEA-1,Green tea,350,10\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "upload a CSV and get a document back",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{csv}),
		waitJS(`[...document.querySelectorAll(".msg.me .doc a")].some((a) => a.textContent === "catalog.csv")`),
		waitJS(`document.querySelector(".msg.bot .doc a")?.getAttribute("download") === "report.csv"`))
	step(t, ctx, "share the phone from the reply keyboard",
		chromedp.Click(chromedp.CSS("#replykb button")),
		waitJS(`[...document.querySelectorAll(".msg.bot .text")].some((e) => e.textContent === "Thanks, +15550001001")`),
		waitJS(`!document.querySelector("#replykb").classList.contains("on")`))
}

func step(t *testing.T, ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		saveScreenshot(t, ctx, "sandbox-chat-failed.png")
		t.Fatalf("%s: %v", name, err)
	}
}

// waitJS waits until the expression is true on the page.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	poll := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second))
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		if _, err := poll(ctx, tg); err != nil {
			return chromedp.Void{}, fmt.Errorf("waiting for %s: %w", expr, err)
		}
		return chromedp.Void{}, nil
	}
}

func count(t *testing.T, ctx context.Context, selector string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(selector)+`).length`))
	if err != nil {
		t.Fatalf("count %s: %v", selector, err)
	}
	return n
}

// saveScreenshot writes the page as a PNG called name to $ARTIFACTS_DIR
// (default <tmp>/orderbot-artifacts) and logs the path.
func saveScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "orderbot-artifacts")
	}
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(dir, 0o755); err == nil {
		err = os.WriteFile(path, png, 0o644)
	}
	if err != nil {
		t.Errorf("write screenshot: %v", err)
		return
	}
	t.Logf("screenshot: %s", path)
}
