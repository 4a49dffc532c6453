package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/orderbot/orderbot/bot/sandbox/browsertest"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// TestBrowser_SandboxOrderAndConfirm is a newcomer's path in a real browser:
// `orderbot sandbox`, a customer places an order on the chat page, a
// manager confirms it on the page, and the customer's page shows the
// confirmation. A screenshot of the customer's chat is kept as an artifact.
func TestBrowser_SandboxOrderAndConfirm(t *testing.T) {
	_, url := pgtest.NewWithURL(t)
	web, health := freeAddr(t), freeAddr(t)
	env := map[string]string{"DATABASE_URL": url, "SANDBOX_ADDR": web, "HTTP_ADDR": health,
		"REDIS_PREFIX": fmt.Sprintf("obtest:browser:%d:", time.Now().UnixNano())}
	_, errOut, _ := start(t, env, "sandbox")
	waitHTTP(t, "http://"+web+"/api/personas", 200)
	ctx := browsertest.New(t)
	as := func(id int) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`#personas .persona[data-id="` + strconv.Itoa(id) + `"]`))
	}
	seen := func(text string) chromedp.Action[chromedp.Void] {
		return browsertest.WaitJS(`[...document.querySelectorAll(".msg.bot")].some((e) => e.textContent.includes(` + strconv.Quote(text) + `))`)
	}
	press := func(label string) chromedp.Action[chromedp.Void] {
		q := strconv.Quote(label)
		return browsertest.WaitJS(`(() => { const b = [...document.querySelectorAll(".msg.bot .kb button")].filter((b) => b.textContent.includes(` + q + `)).pop();
			if (!b) return false; b.click(); return true; })()`)
	}
	browsertest.Step(t, ctx, "open the page as Anna", chromedp.Navigate("http://"+web+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#personas .persona[data-id="1001"]`)), as(1001), seen("Hello, Anna"))
	browsertest.Step(t, ctx, "browse and fill the cart",
		chromedp.SendKeys(chromedp.CSS("#input"), "/catalog"), chromedp.Click(chromedp.CSS("#send")),
		press("Green tea Sencha"), seen("SKU: TEA-GRN-100"), press("Put 1 in cart"), seen("Your cart"))
	browsertest.Step(t, ctx, "check out",
		press("Check out"), seen("Where should we deliver?"), press("12 Baker Street"),
		seen("Please check your order"), press("Place order"), seen("is placed"))
	number, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".msg.bot")].map((e) => e.textContent)
		.filter((t) => t.includes("is placed")).pop().match(/\d{4}-\d{6}/)[0]`))
	if err != nil || number == "" {
		t.Fatalf("order number: %q %v", number, err)
	}
	browsertest.Step(t, ctx, "Mike confirms it", as(2), seen("Order "+number), press("Confirm"), seen("confirmed by"))
	browsertest.Step(t, ctx, "Anna sees the confirmation", as(1001), seen("Your order "+number+" is confirmed"))
	if path := browsertest.Screenshot(t, ctx, "sandbox-order-confirmed.png"); path == "" {
		t.Error("no screenshot")
	}
	if strings.Contains(errOut.String(), "handler panic") {
		t.Fatalf("the bot panicked:\n%s", errOut)
	}
}

// TestBrowser_SandboxOnAPhone: the newcomer's path on a 390×844 phone
// screen: pick Anna from the drawer, put two products in the cart from the
// catalog page, check out with her last address and place the order;
// nothing is ever wider than the screen. A screenshot is kept.
func TestBrowser_SandboxOnAPhone(t *testing.T) {
	_, url := pgtest.NewWithURL(t)
	web, health := freeAddr(t), freeAddr(t)
	env := map[string]string{"DATABASE_URL": url, "SANDBOX_ADDR": web, "HTTP_ADDR": health,
		"REDIS_PREFIX": fmt.Sprintf("obtest:phone:%d:", time.Now().UnixNano())}
	_, errOut, _ := start(t, env, "sandbox")
	waitHTTP(t, "http://"+web+"/api/personas", 200)
	ctx := browsertest.New(t)
	fits := browsertest.WaitJS(`document.documentElement.scrollWidth <= innerWidth && [...document.querySelectorAll(".kb button, #send")]
		.every((b) => { const r = b.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; })`)
	seen := func(text string) chromedp.Action[chromedp.Void] {
		return browsertest.WaitJS(`[...document.querySelectorAll(".msg.bot")].some((e) => e.textContent.includes(` + strconv.Quote(text) + `))`)
	}
	click := func(js string) chromedp.Action[chromedp.Void] {
		return browsertest.WaitJS(`(() => { const b = ` + js + `; if (!b) return false; b.click(); return true; })()`)
	}
	press := func(label string) chromedp.Action[chromedp.Void] {
		return click(`[...document.querySelectorAll(".msg.bot .kb button")].filter((b) => b.textContent.includes(` + strconv.Quote(label) + `)).pop()`)
	}
	plus := func(product string) chromedp.Action[chromedp.Void] {
		return click(`[...document.querySelectorAll(".msg.bot .kb .row")].filter((r) => r.firstChild.textContent.startsWith(` +
			strconv.Quote(product) + `)).pop()?.querySelector("button:nth-child(2)")`)
	}
	browsertest.Step(t, ctx, "open the page on a phone and pick Anna",
		chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate("http://"+web+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#personas .persona[data-id="1001"]`)),
		chromedp.Click(chromedp.CSS(`#personas .persona[data-id="1001"]`)), seen("Hello, Anna"), fits)
	browsertest.Step(t, ctx, "two products from the catalog page",
		chromedp.SendKeys(chromedp.CSS("#input"), "/catalog"), chromedp.Click(chromedp.CSS("#send")),
		seen("Catalog"), fits, plus("Green tea Sencha"), seen("1 in your cart"), plus("Ceramic cup"), seen("Cart (2)"), fits)
	browsertest.Step(t, ctx, "check out with the last address",
		press("Check out"), seen("Where should we deliver?"), fits, press("12 Baker Street"),
		seen("Please check your order"), fits, press("Place order"), seen("is placed"), fits)
	if path := browsertest.Screenshot(t, ctx, "sandbox-phone-order-placed.png"); path == "" {
		t.Error("no screenshot")
	}
	if strings.Contains(errOut.String(), "handler panic") {
		t.Fatalf("the bot panicked:\n%s", errOut)
	}
}
