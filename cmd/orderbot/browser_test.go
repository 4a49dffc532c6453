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
