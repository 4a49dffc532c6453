package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Catalog by file: a manager sends a CSV (sku,name,price,stock[,unit][,vat],
// or a price list file list,sku,price[,min_qty]); the
// bot answers with a preview (new, changed, bad lines with their numbers)
// and applies it on Apply, with the same validation as `orderbot catalog
// import`. The dialog keeps only the file_id; Apply downloads it again.

// previewMax bounds the rows a preview lists one by one.
const previewMax = 25

func init() {
	staffDocument = onCatalogFile
	onCallback("sca", 0, true, func(r *req, _ callback) error {
		d, err := r.loadDialog()
		if err != nil {
			return err
		}
		if d.Step != stepCSV || d.Data["file"] == "" {
			r.answer(r.lang.Plain("err.stale"), true)
			return nil
		}
		return importFile(r, d.Data["file"], false)
	})
}

func onCatalogFile(r *req, doc *models.Document) error {
	if doc.FileSize > core.MaxCatalogBytes {
		return r.reply(r.lang.T("staff.csv.too_big", core.MaxCatalogBytes>>20), nil)
	}
	return importFile(r, doc.FileID, true)
}

// importFile downloads, parses and imports (or previews) a catalog file.
func importFile(r *req, fileID string, preview bool) error {
	data, err := r.b.download(r.ctx, fileID)
	if err != nil {
		return err
	}
	if core.IsPriceListFile(data) {
		return importPriceFile(r, fileID, data, preview)
	}
	rows, err := core.ParseCatalog(bytes.NewReader(data), r.b.cfg.Currency)
	if err == nil {
		var res *core.ImportResult
		res, err = r.b.svc.Catalog.Import(r.effectQuiet(), r.actor, rows, preview)
		if err == nil {
			return r.importDone(fileID, res, preview)
		}
	}
	var fe *core.CatalogFileError
	if !errors.As(err, &fe) {
		return err
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog", "err", err)
	}
	return r.show(r.renderFileErrors(fe), nil)
}

func (r *req) importDone(fileID string, res *core.ImportResult, preview bool) error {
	if !preview {
		if err := r.clearDialog(); err != nil {
			r.log.Warn("clear dialog", "err", err)
		}
		return r.show(r.lang.T("staff.csv.applied", res.New, res.Changed, res.Unchanged), nil)
	}
	d := &dialog{Step: stepCSV}
	d.set("file", fileID)
	if err := r.saveDialog(d); err != nil {
		return err
	}
	k := new(kb).row(btn(r.lang.Plain("staff.btn.apply"), cb("sca")), btn(r.lang.Plain("staff.btn.quit"), cb("sq")))
	return r.show(r.renderPreview(res), k)
}

func (r *req) renderPreview(res *core.ImportResult) string {
	l, cur := r.lang, r.b.cfg.Currency
	var b strings.Builder
	b.WriteString(l.T("staff.csv.preview", res.New, res.Changed, res.Unchanged))
	shown := 0
	for _, row := range res.Rows {
		if row.Change == core.ImportUnchanged {
			continue
		}
		if shown++; shown > previewMax {
			b.WriteString("\n" + l.T("staff.csv.more", res.New+res.Changed-previewMax))
			break
		}
		p := row.New
		if row.Old == nil {
			b.WriteString("\n" + l.T("staff.csv.new", row.Line, p.SKU, p.Name, l.money(cur, p.Price), row.Stock))
			continue
		}
		b.WriteString("\n" + l.T("staff.csv.changed", row.Line, p.SKU, p.Name, l.money(cur, row.Old.Price), l.money(cur, p.Price),
			row.Old.OnHand, row.Stock))
	}
	b.WriteString("\n\n" + l.T("staff.csv.confirm"))
	return b.String()
}

func (r *req) renderFileErrors(fe *core.CatalogFileError) string {
	l := r.lang
	var b strings.Builder
	b.WriteString(l.T("staff.csv.bad", len(fe.Rows)))
	for i, row := range fe.Rows {
		if i == previewMax {
			b.WriteString("\n" + l.T("staff.csv.more", len(fe.Rows)-previewMax))
			break
		}
		if row.Line == 0 {
			b.WriteString("\n" + l.T("staff.csv.bad_file", row.Reason))
			continue
		}
		b.WriteString("\n" + l.T("staff.csv.bad_line", row.Line, row.Reason))
	}
	b.WriteString("\n\n" + l.T("staff.csv.nothing"))
	return b.String()
}

// download fetches a file a user sent, through getFile and the file URL.
// Errors never carry the URL: it holds the bot's token.
func (b *Bot) download(ctx context.Context, fileID string) ([]byte, error) {
	f, err := b.api.GetFile(ctx, &tg.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("get file: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.api.FileDownloadLink(f), nil)
	if err != nil {
		return nil, errors.New("download file: bad file path")
	}
	resp, err := b.cfg.HTTPClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: download file: %v", core.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download file: status %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, core.MaxCatalogBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: download file: %v", core.ErrUnavailable, err)
	}
	return data, nil
}
