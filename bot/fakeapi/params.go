package fakeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxUpload bounds request bodies (Telegram allows 50 MB uploads).
const maxUpload = 50 << 20

// upload is a file sent in a multipart part that has a file name.
type upload struct {
	name string
	data []byte
}

// params holds a request's parameters whatever the encoding: plain values as
// strings, nested objects (reply_markup, scope, ...) as their JSON text, and
// uploaded files separately.
type params struct {
	values map[string]string
	files  map[string]*upload
}

// parseParams reads query parameters and a multipart, JSON or url-encoded
// body, as the Bot API accepts all of them.
func parseParams(r *http.Request) (*params, error) {
	p := &params{values: map[string]string{}, files: map[string]*upload{}}
	for k, v := range r.URL.Query() {
		p.values[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch ct {
	case "multipart/form-data":
		err = p.readMultipart(r)
	case "application/json":
		err = p.readJSON(r)
	case "application/x-www-form-urlencoded":
		err = p.readForm(r)
	}
	if err != nil {
		return nil, badRequest("can't parse request parameters: %v", err)
	}
	for _, v := range p.values {
		if !utf8.ValidString(v) {
			return nil, badRequest("strings must be encoded in UTF-8")
		}
	}
	return p, nil
}

func (p *params) readMultipart(r *http.Request) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) { // also an empty body: go-telegram sends one for methods without parameters
			return nil
		}
		if err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(part, maxUpload))
		if err != nil {
			return err
		}
		name := part.FormName()
		if part.FileName() != "" {
			p.files[name] = &upload{name: part.FileName(), data: data}
			continue
		}
		p.values[name] = string(data)
	}
}

func (p *params) readJSON(r *http.Request) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxUpload))
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return err
	}
	for k, raw := range m {
		var s string
		switch {
		case string(raw) == "null":
			continue
		case json.Unmarshal(raw, &s) == nil:
			p.values[k] = s
		default:
			p.values[k] = string(raw)
		}
	}
	return nil
}

func (p *params) readForm(r *http.Request) error {
	r.Body = http.MaxBytesReader(nil, r.Body, maxUpload)
	if err := r.ParseForm(); err != nil {
		return err
	}
	for k, v := range r.PostForm {
		p.values[k] = v[0]
	}
	return nil
}

// has reports whether the parameter was sent.
func (p *params) has(k string) bool {
	_, ok := p.values[k]
	return ok
}

func (p *params) str(k string) string { return p.values[k] }

// int64 parses an integer parameter; absent or empty means 0.
func (p *params) int64(k string) (int64, error) {
	v := strings.TrimSpace(p.values[k])
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("invalid %s specified", k)
	}
	return n, nil
}

func (p *params) int(k string) (int, error) {
	n, err := p.int64(k)
	return int(n), err
}

// bool reads a boolean parameter the way Telegram does ("true"/"1").
func (p *params) bool(k string) bool {
	v := strings.ToLower(strings.TrimSpace(p.values[k]))
	return v == "true" || v == "1"
}

// json decodes a parameter holding JSON text (an object or an array).
func (p *params) json(k string, dst any) error {
	v, ok := p.values[k]
	if !ok || v == "" {
		return nil
	}
	return json.Unmarshal([]byte(v), dst)
}

// stringList decodes a JSON array of strings (allowed_updates).
func (p *params) stringList(k string) ([]string, error) {
	var out []string
	if err := p.json(k, &out); err != nil {
		return nil, badRequest("can't parse %s JSON array", k)
	}
	if out == nil {
		out = []string{}
	}
	return out, nil
}
