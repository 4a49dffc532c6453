package sandbox

import (
	"bytes"
	"errors"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

// multipartOverhead is room for the form's other fields and boundaries on
// top of the file itself.
const multipartOverhead = 64 << 10

// maxFileName bounds uploaded file names, in bytes.
const maxFileName = 255

// upload answers POST api/upload (multipart/form-data with fields user,
// file and optional caption): the persona sends the file as a document.
func (p *Page) upload(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, p.maxUpload+multipartOverhead)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return p.formError(err)
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	id, err := strconv.ParseInt(r.FormValue("user"), 10, 64)
	if err != nil {
		return errorf(http.StatusBadRequest, "form field user must be a persona id, got %q", r.FormValue("user"))
	}
	per, err := p.persona(id)
	if err != nil {
		return err
	}
	name, data, err := p.readUpload(r)
	if err != nil {
		return err
	}
	upd, err := p.srv.SendDocument(per.ID, name, data, strings.TrimSpace(r.FormValue("caption")))
	return p.sent(w, upd, "", err)
}

func (p *Page) formError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errorf(http.StatusRequestEntityTooLarge, "the file is larger than %d bytes", p.maxUpload)
	}
	return errorf(http.StatusBadRequest, "send multipart/form-data with fields user and file: %v", err)
}

// readUpload returns the uploaded file's cleaned name and its bytes.
func (p *Page) readUpload(r *http.Request) (string, []byte, error) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, errorf(http.StatusBadRequest, "form field file is missing: attach the file to upload")
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, p.maxUpload+1))
	if err != nil {
		return "", nil, err
	}
	switch {
	case int64(len(data)) > p.maxUpload:
		return "", nil, errorf(http.StatusRequestEntityTooLarge, "the file is larger than %d bytes", p.maxUpload)
	case len(data) == 0:
		return "", nil, errorf(http.StatusBadRequest, "the file is empty")
	}
	return cleanFileName(hdr), data, nil
}

// cleanFileName keeps the base name without control characters, at most
// maxFileName bytes; "file" when nothing is left.
func cleanFileName(hdr *multipart.FileHeader) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\\' || r == '/' {
			return '_'
		}
		return r
	}, path.Base(strings.ReplaceAll(hdr.Filename, "\\", "/")))
	name = strings.TrimSpace(name)
	for len(name) > maxFileName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

// file answers GET api/file?user=&message_id= with the document or photo
// of a message in the persona's chat: documents as downloads with their
// name, photos inline.
func (p *Page) file(w http.ResponseWriter, r *http.Request) error {
	per, err := p.personaParam(r)
	if err != nil {
		return err
	}
	id, err := queryInt(r, "message_id")
	if err != nil {
		return err
	}
	m, err := p.chatMessage(per.ID, int(min(id, math.MaxInt32)))
	if err != nil {
		return err
	}
	name, ctype, disposition, data, ok := attachment(m)
	if !ok {
		return errorf(http.StatusNotFound, "message %d has no document or photo", m.ID)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	if cd := mime.FormatMediaType(disposition, map[string]string{"filename": name}); cd != "" {
		h.Set("Content-Disposition", cd)
	} else {
		h.Set("Content-Disposition", disposition)
	}
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	return nil
}

func attachment(m fakeapi.Message) (name, ctype, disposition string, data []byte, ok bool) {
	switch {
	case m.Document != nil:
		ctype = m.Document.MimeType
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		name = m.Document.FileName
		if name == "" {
			name = "file"
		}
		return name, ctype, "attachment", m.Document.Data, true
	case m.Photo != nil:
		return "photo-" + strconv.Itoa(m.ID), http.DetectContentType(m.Photo.Data), "inline", m.Photo.Data, true
	}
	return "", "", "", nil, false
}
