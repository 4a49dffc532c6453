package sandbox

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/orderbot/orderbot/bot/sandbox/browsertest"
)

// TestBrowser_PayAnInvoice: an invoice shows Telegram's Pay button; a tap
// pays it (the bot says yes), the payment and the bot's receipt appear in
// the chat; an invoice the bot refuses shows the reason.
func TestBrowser_PayAnInvoice(t *testing.T) {
	f := newFixture(t)
	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.http.URL+"/")); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	browsertest.Step(t, ctx, "pick Alice and connect",
		chromedp.WaitVisible(chromedp.CSS(`#personas .persona[data-id="1001"]`)),
		chromedp.Click(chromedp.CSS(`#personas .persona[data-id="1001"]`)),
		browsertest.WaitJS(`document.getElementById("status").textContent === "live"`))
	browsertest.Step(t, ctx, "get an invoice with a Pay button",
		chromedp.SendKeys(chromedp.CSS("#input"), "/invoice"),
		chromedp.Click(chromedp.CSS("#send")),
		browsertest.WaitJS(`document.querySelector(".msg.bot .kb button.pay")?.textContent === "Pay 12.50 USD"`))
	browsertest.Step(t, ctx, "pay and see the payment and the receipt",
		chromedp.Click(chromedp.CSS(".msg.bot .kb button.pay")),
		browsertest.WaitJS(`[...document.querySelectorAll(".msg.me .text")].some((e) => e.textContent === "💳 Paid 12.50 USD")`),
		browsertest.WaitJS(`[...document.querySelectorAll(".msg.bot .text")].some((e) => e.textContent.startsWith("Receipt for tgc_"))`))
	browsertest.Screenshot(t, ctx, "sandbox-pay.png")
	browsertest.Step(t, ctx, "a refused payment shows why",
		chromedp.SendKeys(chromedp.CSS("#input"), "/invoice refuse"),
		chromedp.Click(chromedp.CSS("#send")),
		browsertest.WaitJS(`document.querySelectorAll(".msg.bot .kb button.pay").length === 2`),
		chromedp.Click(chromedp.CSS(".msg.bot:last-of-type .kb button.pay")),
		browsertest.WaitJS(`[...document.querySelectorAll(".toast.error")].some((t) => t.textContent === "This invoice is already paid")`))
	if n := len(f.srv.Charges()); n != 1 {
		t.Fatalf("%d charges, want the first payment only", n)
	}
}
