package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/orderbot/orderbot/bot/sandbox/browsertest"
)

// TestBrowser_ChatPage drives the page in headless chromium: pick a
// persona, send /start, see the reply arrive live, get an alert from one
// button, press the other and see the same bubble edited, upload a CSV, share the phone from the reply
// keyboard, and check that echoed markup stays text.
func TestBrowser_ChatPage(t *testing.T) {
	f := newFixture(t)
	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.http.URL+"/")); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	browsertest.Step(t, ctx, "pick Alice and connect",
		chromedp.WaitVisible(chromedp.CSS(`#personas .persona[data-id="2001"]`)),
		chromedp.Click(chromedp.CSS(`#personas .persona[data-id="1001"]`)),
		browsertest.WaitJS(`document.getElementById("status").textContent === "live"`))
	browsertest.Step(t, ctx, "send /start and see the reply live",
		chromedp.SendKeys(chromedp.CSS("#input"), "/start"),
		chromedp.Click(chromedp.CSS("#send")),
		browsertest.WaitJS(`document.querySelector(".msg.bot .kb button")?.textContent === "Confirm"`),
		browsertest.WaitJS(`document.querySelector(".msg.bot .text b")?.textContent === "Alice"`),
		browsertest.WaitJS(`document.querySelector("#replykb.on button")?.textContent.includes("Share phone")`))
	bubbles := count(t, ctx, ".msg")
	browsertest.Step(t, ctx, "an alert answer opens a dialog",
		chromedp.Click(chromedp.CSS(".msg.bot .kb button:nth-child(2)")),
		browsertest.WaitJS(`document.getElementById("alert").open && document.getElementById("alert-text").textContent === "Call us: +1 555 0100"`),
		chromedp.Click(chromedp.CSS("#alert-ok")),
		browsertest.WaitJS(`!document.getElementById("alert").open`))
	browsertest.Step(t, ctx, "press the inline button and see the edit in place",
		chromedp.Click(chromedp.CSS(".msg.bot .kb button:first-child")),
		browsertest.WaitJS(`document.querySelector(".msg.bot .text").textContent === "Order #1 confirmed ✅"`),
		browsertest.WaitJS(`document.querySelector(".msg.bot .kb a")?.textContent.startsWith("Track") && !document.querySelector(".msg.bot .kb button")`),
		browsertest.WaitJS(`document.querySelector(".msg.bot .foot").textContent.startsWith("edited")`),
		browsertest.WaitJS(`[...document.querySelectorAll(".toast")].some((t) => t.textContent === "Done")`))
	if n := count(t, ctx, ".msg"); n != bubbles {
		t.Fatalf("the edit added bubbles: %d, want %d", n, bubbles)
	}
	browsertest.Screenshot(t, ctx, "sandbox-chat-keyboards.png")
	uploadAndShare(t, ctx)
	browsertest.Step(t, ctx, "see a photo inline",
		chromedp.SendKeys(chromedp.CSS("#input"), "/photo"),
		chromedp.Click(chromedp.CSS("#send")),
		browsertest.WaitJS(`document.querySelector(".msg.bot img.photo")?.naturalWidth === 160`))
	browsertest.Step(t, ctx, "echoed markup stays text",
		chromedp.SendKeys(chromedp.CSS("#input"), `<img src=x onerror="window.pwned=1">`),
		chromedp.Click(chromedp.CSS("#send")),
		browsertest.WaitJS(`[...document.querySelectorAll(".msg.bot .text")].some((e) => e.textContent.startsWith("You said: <img"))`),
		browsertest.WaitJS(`document.querySelectorAll(".msg .text img").length === 0 && !window.pwned`))
	browsertest.Screenshot(t, ctx, "sandbox-chat.png")
}

func uploadAndShare(t *testing.T, ctx context.Context) {
	csv := filepath.Join(t.TempDir(), "catalog.csv")
	if err := os.WriteFile(csv, []byte("sku,name,price,stock\nTEA-1,Green tea,350,10\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	browsertest.Step(t, ctx, "upload a CSV and get a document back",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{csv}),
		browsertest.WaitJS(`[...document.querySelectorAll(".msg.me .doc a")].some((a) => a.textContent === "catalog.csv")`),
		browsertest.WaitJS(`document.querySelector(".msg.bot .doc a")?.getAttribute("download") === "report.csv"`))
	browsertest.Step(t, ctx, "share the phone from the reply keyboard",
		chromedp.Click(chromedp.CSS("#replykb button")),
		browsertest.WaitJS(`[...document.querySelectorAll(".msg.bot .text")].some((e) => e.textContent === "Thanks, +15550001001")`),
		browsertest.WaitJS(`!document.querySelector("#replykb").classList.contains("on")`))
}

func count(t *testing.T, ctx context.Context, selector string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(selector)+`).length`))
	if err != nil {
		t.Fatalf("count %s: %v", selector, err)
	}
	return n
}

// TestBrowser_ChatPageOnAPhone drives the page at phone sizes (390×844 and
// 360×740): the people list opens first and collapses once someone is
// picked, nothing is wider than the screen, the Send button is whole and
// on top, a message goes and its reply with buttons fits, and the list
// comes back from the header. Screenshots are kept as artifacts.
func TestBrowser_ChatPageOnAPhone(t *testing.T) {
	f := newFixture(t)
	for _, size := range [][2]int64{{390, 844}, {360, 740}} {
		name := strconv.FormatInt(size[0], 10) + "x" + strconv.FormatInt(size[1], 10)
		t.Run(name, func(t *testing.T) {
			ctx := browsertest.New(t)
			ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
			defer cancel()
			browsertest.Step(t, ctx, "open the page on a phone",
				chromedp.EmulateViewport(size[0], size[1], chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch),
				chromedp.Navigate(f.http.URL+"/"),
				chromedp.WaitVisible(chromedp.CSS(`#personas .persona[data-id="1001"]`)),
				browsertest.WaitJS(onScreen("#personas .persona[data-id='1001']")))
			browsertest.Screenshot(t, ctx, "sandbox-phone-"+name+"-people.png")
			browsertest.Step(t, ctx, "pick Alice: the list collapses and the chat fits",
				chromedp.Click(chromedp.CSS(`#personas .persona[data-id="1001"]`)),
				browsertest.WaitJS(`document.getElementById("status").textContent === "live"`),
				browsertest.WaitJS(`!(`+onScreen("#side")+`)`),
				browsertest.WaitJS(onScreen("#send")+` && `+onScreen("#input")+` && `+onScreen("#menu")),
				browsertest.WaitJS(`document.documentElement.scrollWidth <= innerWidth`))
			browsertest.Step(t, ctx, "send /start and see the reply with its buttons",
				chromedp.SendKeys(chromedp.CSS("#input"), "/start"),
				chromedp.Click(chromedp.CSS("#send")),
				browsertest.WaitJS(`document.querySelector(".msg.bot .kb button")?.textContent === "Confirm"`),
				browsertest.WaitJS(`[...document.querySelectorAll(".msg.bot .kb button")].every((b) => { const r = b.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; })`),
				browsertest.WaitJS(onScreen("#replykb button")+` && `+onScreen("#send")),
				browsertest.WaitJS(`document.documentElement.scrollWidth <= innerWidth`))
			browsertest.Screenshot(t, ctx, "sandbox-phone-"+name+".png")
			browsertest.Step(t, ctx, "the people list comes back from the header",
				chromedp.Click(chromedp.CSS("#menu")),
				browsertest.WaitJS(onScreen("#personas .persona[data-id='2001']")),
				chromedp.Click(chromedp.CSS(`#personas .persona[data-id="2001"]`)),
				browsertest.WaitJS(`!(`+onScreen("#side")+`) && document.getElementById("head-title").textContent.startsWith("Max Manager")`))
		})
	}
}

// onScreen is a JS expression: the element is entirely within the
// viewport, has a size, and is what a tap at its middle reaches.
func onScreen(selector string) string {
	return `(() => { const e = document.querySelector(` + strconv.Quote(selector) + `); if (!e) return false;
		const r = e.getBoundingClientRect();
		if (r.width < 8 || r.height < 8 || r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) return false;
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return hit === e || e.contains(hit); })()`
}
