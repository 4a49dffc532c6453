package bot

import (
	"errors"
	"fmt"

	"github.com/orderbot/orderbot/core"
)

// dialog is a chat's conversation state, kept in Redis with a TTL. Losing it
// loses a half-filled form, never an order.
type dialog struct {
	Flow       string            `json:"flow,omitempty"`
	Step       string            `json:"step,omitempty"`
	OrderID    int64             `json:"order,omitempty"`
	Version    int64             `json:"ver,omitempty"`
	ProductID  int64             `json:"product,omitempty"`
	CustomerID int64             `json:"customer,omitempty"`
	InvoiceID  int64             `json:"invoice,omitempty"`
	Address    string            `json:"address,omitempty"`
	Phone      string            `json:"phone,omitempty"`
	Comment    string            `json:"comment,omitempty"`
	Query      string            `json:"query,omitempty"`
	Started    int64             `json:"started,omitempty"` // a checkout's id: when it began, in ms
	Lines      []dialogLine      `json:"lines,omitempty"`
	Data       map[string]string `json:"data,omitempty"`
	// Update is the update that last wrote the dialog: an update handled
	// again after a crash (its answer was lost) must not be applied to
	// the state it already moved on.
	Update int64 `json:"upd,omitempty"`
}

type dialogLine struct {
	ProductID int64 `json:"p"`
	Qty       int64 `json:"q"`
}

func (r *req) loadDialog() (*dialog, error) {
	d := &dialog{}
	if _, err := r.b.cache.LoadDialog(r.ctx, r.chatID, d); err != nil {
		return nil, unavailable(err)
	}
	return d, nil
}

func (r *req) saveDialog(d *dialog) error {
	if r.upd != nil {
		d.Update = max(d.Update, r.upd.ID)
	}
	return unavailable(r.b.cache.SaveDialog(r.ctx, r.chatID, d, r.b.cfg.DialogTTL))
}

// applied reports whether this update already moved the dialog on: it is
// handled a second time (its answer died with a process), so it shows
// where the dialog stands instead of applying itself again.
func (r *req) applied(d *dialog) bool { return r.upd != nil && d.Update >= r.upd.ID }

func (r *req) clearDialog() error {
	return unavailable(r.b.cache.ClearDialog(r.ctx, r.chatID))
}

// unavailable makes any cache failure read as "the service is down", so the
// person is told plainly and can retry when it is back.
func unavailable(err error) error {
	if err == nil || errors.Is(err, core.ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %v", core.ErrUnavailable, err)
}
