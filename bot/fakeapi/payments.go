package fakeapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Telegram Payments as the bot sees them: sendInvoice stores an invoice
// message with its Pay button, answerPreCheckoutQuery records the bot's
// answer to a pre-checkout query, refundStarPayment gives a Stars charge
// back once. Users pay with PayInvoice (payusers.go).

// Invoice is what an invoice message asks for.
type Invoice struct {
	Title         string
	Description   string
	Payload       string
	ProviderToken string
	Currency      string
	Prices        []models.LabeledPrice
	Total         int
}

// PreCheckoutAnswer is the bot's answer to a pre-checkout query.
type PreCheckoutAnswer struct {
	QueryID      string
	OK           bool
	ErrorMessage string
}

// Charge is a payment the server made for a user (a successful_payment).
type Charge struct {
	UserID     int64
	ChargeID   string // telegram_payment_charge_id
	ProviderID string // provider_payment_charge_id ("" for Stars)
	Currency   string
	Total      int
	Payload    string
	UpdateID   int64 // the update that reported it
	MessageID  int   // the user's message that carries it
	Refunded   bool
}

type preCheckout struct {
	invoice  Invoice
	answered bool
	expired  bool // nobody answered in time: a late answer is refused
	answer   PreCheckoutAnswer
}

type payState struct {
	queries map[string]*preCheckout
	charges map[string]*Charge
	order   []string // charge ids, oldest first
	nextID  int64
	refunds int
	timeout time.Duration
}

func (p *payState) init() {
	p.queries = map[string]*preCheckout{}
	p.charges = map[string]*Charge{}
	p.nextID = 1
	p.timeout = PayTimeout
}

// readInvoice validates sendInvoice's invoice as Telegram does.
func readInvoice(p *params) (Invoice, error) {
	inv := Invoice{Title: p.str("title"), Description: p.str("description"), Payload: p.str("payload"),
		ProviderToken: p.str("provider_token"), Currency: p.str("currency")}
	switch n := utf8.RuneCountInString(inv.Title); {
	case n == 0 || n > 32:
		return inv, badRequest("INVOICE_TITLE_INVALID")
	}
	if n := utf8.RuneCountInString(inv.Description); n == 0 || n > 255 {
		return inv, badRequest("INVOICE_DESCRIPTION_INVALID")
	}
	if len(inv.Payload) == 0 || len(inv.Payload) > 128 {
		return inv, badRequest("INVOICE_PAYLOAD_INVALID")
	}
	if len(inv.Currency) != 3 || strings.ToUpper(inv.Currency) != inv.Currency {
		return inv, badRequest("CURRENCY_INVALID")
	}
	if err := p.json("prices", &inv.Prices); err != nil || len(inv.Prices) == 0 {
		return inv, badRequest("can't parse prices JSON object")
	}
	for _, pr := range inv.Prices {
		if pr.Label == "" || pr.Amount <= 0 {
			return inv, badRequest("CURRENCY_TOTAL_AMOUNT_INVALID")
		}
		inv.Total += pr.Amount
	}
	return inv, checkProvider(inv)
}

// checkProvider: Stars (XTR) take no provider and one price; money takes a
// provider token.
func checkProvider(inv Invoice) error {
	switch {
	case inv.Currency == "XTR" && inv.ProviderToken != "":
		return badRequest("PAYMENT_PROVIDER_INVALID")
	case inv.Currency == "XTR" && len(inv.Prices) != 1:
		return badRequest("STARS_INVOICE_INVALID")
	case inv.Currency != "XTR" && inv.ProviderToken == "":
		return badRequest("PAYMENT_PROVIDER_INVALID")
	}
	return nil
}

// payLabel is the text of Telegram's own Pay button.
func payLabel(inv Invoice) string {
	if inv.Currency == "XTR" {
		return fmt.Sprintf("Pay ⭐️%d", inv.Total)
	}
	return fmt.Sprintf("Pay %d.%02d %s", inv.Total/100, inv.Total%100, inv.Currency)
}

func (s *Server) sendInvoice(_ *http.Request, p *params) (any, error) {
	inv, err := readInvoice(p)
	if err != nil {
		return nil, err
	}
	mk, err := parseMarkup(p.str("reply_markup"))
	if err != nil {
		return nil, err
	}
	if len(mk.inline) > 0 && !mk.inline[0][0].Pay {
		return nil, badRequest("REPLY_MARKUP_BUY_EMPTY")
	}
	if len(mk.inline) == 0 {
		mk.inline = [][]Button{{{Text: payLabel(inv), Pay: true}}}
	}
	a := sendArgs{markup: mk}
	return s.botSend(p, a, func(m *Message) error {
		m.Invoice = &inv
		m.PlainText = inv.Title + "\n" + inv.Description
		return nil
	})
}

func (s *Server) answerPreCheckoutQuery(_ *http.Request, p *params) (any, error) {
	a := PreCheckoutAnswer{QueryID: p.str("pre_checkout_query_id"), OK: p.bool("ok"), ErrorMessage: p.str("error_message")}
	if !a.OK && strings.TrimSpace(a.ErrorMessage) == "" {
		return nil, badRequest("ERROR_MESSAGE_EMPTY")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.pay.queries[a.QueryID]
	if !ok || q.answered || q.expired {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	q.answered, q.answer = true, a
	s.notifyLocked()
	return true, nil
}

func (s *Server) refundStarPayment(_ *http.Request, p *params) (any, error) {
	userID, err := p.int64("user_id")
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.pay.charges[p.str("telegram_payment_charge_id")]
	if !ok || c.UserID != userID || c.Currency != "XTR" {
		return nil, badRequest("CHARGE_NOT_FOUND")
	}
	if c.Refunded {
		return nil, badRequest("CHARGE_ALREADY_REFUNDED")
	}
	c.Refunded = true
	s.pay.refunds++
	s.notifyLocked()
	return true, nil
}

// Charges lists the payments the server made, oldest first.
func (s *Server) Charges() []Charge {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Charge, 0, len(s.pay.order))
	for _, id := range s.pay.order {
		out = append(out, *s.pay.charges[id])
	}
	return out
}

// StarRefunds counts the Stars charges the bot refunded.
func (s *Server) StarRefunds() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pay.refunds
}

// PreCheckoutAnswers lists the bot's answers to pre-checkout queries.
func (s *Server) PreCheckoutAnswers() []PreCheckoutAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []PreCheckoutAnswer
	for _, q := range s.pay.queries {
		if q.answered {
			out = append(out, q.answer)
		}
	}
	return out
}
