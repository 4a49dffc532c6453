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

// TestBrowser_SandboxPayInChat: in `orderbot sandbox` with no PAYMENT_
// setting, payments in chat are on: Anna orders, Mike confirms and
// invoices, Anna taps Pay on the invoice in her chat and gets the receipt.
func TestBrowser_SandboxPayInChat(t *testing.T) {
	_, url := pgtest.NewWithURL(t)
	web, health := freeAddr(t), freeAddr(t)
	env := map[string]string{"DATABASE_URL": url, "SANDBOX_ADDR": web, "HTTP_ADDR": health,
		"REDIS_PREFIX": fmt.Sprintf("obtest:pay:%d:", time.Now().UnixNano())}
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
	say := func(text string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{chromedp.SendKeys(chromedp.CSS("#input"), text), chromedp.Click(chromedp.CSS("#send"))}
	}
	browsertest.Step(t, ctx, "open the page as Anna", chromedp.Navigate("http://"+web+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#personas .persona[data-id="1001"]`)), as(1001), seen("Hello, Anna"))
	browsertest.Step(t, ctx, "order a tea", append(say("/catalog"), press("Green tea Sencha"), seen("SKU: TEA-GRN-100"),
		press("Put 1 in cart"), seen("Your cart"), press("Check out"), seen("Where should we deliver?"), press("12 Baker Street"),
		seen("Please check your order"), press("Place order"), seen("is placed"))...)
	number, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".msg.bot")].map((e) => e.textContent)
		.filter((t) => t.includes("is placed")).pop().match(/\d{4}-\d{6}/)[0]`))
	if err != nil || number == "" {
		t.Fatalf("order number: %q %v", number, err)
	}
	browsertest.Step(t, ctx, "Mike confirms and invoices it", append([]chromedp.Action[chromedp.Void]{as(2), seen("Order " + number),
		press("Confirm"), seen("confirmed by")}, append(say("/order "+number), seen("History of order "+number), press("Issue invoice"))...)...)
	browsertest.Step(t, ctx, "Anna pays the invoice in chat", as(1001),
		browsertest.WaitJS(`!!document.querySelector(".msg.bot .kb button.pay")`),
		chromedp.Click(chromedp.CSS(".msg.bot .kb button.pay")),
		browsertest.WaitJS(`[...document.querySelectorAll(".msg.me .text")].some((e) => e.textContent.startsWith("💳 Paid"))`),
		seen("Receipt P-"))
	browsertest.Screenshot(t, ctx, "sandbox-paid-in-chat.png")
	if strings.Contains(errOut.String(), "handler panic") || strings.Contains(errOut.String(), "handler failed") {
		t.Fatalf("the bot failed:\n%s", errOut)
	}
}
