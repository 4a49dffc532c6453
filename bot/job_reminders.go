package bot

import (
	"context"
	"strings"

	"github.com/orderbot/orderbot/core"
)

// Payment reminders: the customer's message listing their invoices (the PDFs
// follow as notices of their own, so each is sent once), and the staff's
// list of whom was reminded.

func (b *Bot) deliverReminder(ctx context.Context, n core.Notice) error {
	p, err := decode[core.Reminder](n)
	if err != nil {
		return err
	}
	l := b.customerLang(ctx, p.CustomerID)
	text, k := b.renderReminder(l, p)
	_, err = b.send.SendWait(ctx, n.ChatID, prio(ctx), text, k.markup())
	return err
}

// renderReminder is pure: its tone follows the highest level reached.
func (b *Bot) renderReminder(l lang, p core.Reminder) (string, *kb) {
	cur := b.cfg.Currency
	head := "job.reminder_overdue"
	switch {
	case p.Level < 0:
		head = "job.reminder_before"
	case p.Level == 0:
		head = "job.reminder_due"
	}
	var s strings.Builder
	s.WriteString(l.T(head, p.Customer) + "\n")
	var total core.Money
	for _, i := range p.Invoices {
		s.WriteString("\n" + l.T("job.reminder_line", i.Number, i.OrderNumber, l.money(cur, i.Open), l.day(i.DueOn),
			levelText(l, i.DaysPastDue)))
		total += i.Open
	}
	s.WriteString("\n\n" + l.T("job.reminder_total", l.money(cur, total)))
	s.WriteString("\n" + l.T("job.reminder_foot"))
	return s.String(), new(kb).row(btn(l.Plain("job.btn_my_orders"), cb("ol", 0)))
}

// stepText names a reminder step: before the due date, on it, or after.
func stepText(l lang, level int) string {
	switch {
	case level < 0:
		return l.Plain("job.step_before", -level)
	case level == 0:
		return l.Plain("job.step_due")
	}
	return l.Plain("job.step_after", level)
}

// levelText says where an invoice stands: due in n days, today, n days late.
func levelText(l lang, days int) string {
	switch {
	case days < 0:
		return l.Plain("job.level_before", -days)
	case days == 0:
		return l.Plain("job.level_due")
	}
	return l.Plain("job.level_after", days)
}

// deliverInvoicePDF sends one invoice of a reminder, unless it was paid or
// voided since the reminder was decided.
func (b *Bot) deliverInvoicePDF(ctx context.Context, n core.Notice) error {
	p, err := decode[core.InvoicePDFNotice](n)
	if err != nil {
		return err
	}
	inv, err := b.svc.Orders.InvoiceByID(ctx, core.System, p.InvoiceID)
	if err != nil {
		return err
	}
	if inv.Open() <= 0 && !p.Issued {
		return nil // paid since the reminder was queued
	}
	l := b.customerLang(ctx, inv.CustomerID)
	pdf, err := b.InvoicePDF(ctx, inv, l)
	if err != nil {
		return err
	}
	if _, err = b.send.DocumentWait(ctx, n.ChatID, prio(ctx), inv.Number+".pdf", pdf, l.T("doc.invoice_caption", inv.Number, inv.OrderNumber), nil); err != nil {
		return err
	}
	b.offerPaymentQuietly(ctx, n.ChatID, l, inv)
	return nil
}

func (b *Bot) deliverReminded(ctx context.Context, n core.Notice) error {
	p, err := decode[core.RemindedList](n)
	if err != nil {
		return err
	}
	_, err = b.send.SendWait(ctx, n.ChatID, prio(ctx), b.renderReminded(b.chatLang(ctx, n.ChatID), p), nil)
	return err
}

// renderReminded lists customers reminded, then those to call.
func (b *Bot) renderReminded(l lang, p core.RemindedList) string {
	cur := b.cfg.Currency
	var s strings.Builder
	s.WriteString(l.T("job.reminded_head", l.day(p.Day)))
	line := func(c core.RemindedCustomer) string {
		return "\n" + l.T("job.reminded_line", c.Name, l.money(cur, c.Open), c.Invoices, stepText(l, c.Level))
	}
	var call []core.RemindedCustomer
	for _, c := range p.Customers {
		if !c.OnTelegram {
			call = append(call, c)
			continue
		}
		s.WriteString(line(c))
	}
	if len(call) > 0 {
		s.WriteString("\n\n" + l.T("job.reminded_call"))
		for _, c := range call {
			s.WriteString(line(c))
		}
	}
	return s.String()
}
