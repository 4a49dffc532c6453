package fakeapi

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif"  // photo sizes
	_ "image/jpeg" // photo sizes
	_ "image/png"  // photo sizes
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/go-telegram/bot/models"
)

// storedFile is a file known to the server: uploaded by the bot or sent by
// a user.
type storedFile struct {
	id, name, mime, path string
	data                 []byte
	width, height        int
}

// mimeTypes fixes the types of common extensions so results do not depend
// on the host's mime tables.
var mimeTypes = map[string]string{
	".pdf": "application/pdf", ".csv": "text/csv", ".txt": "text/plain", ".json": "application/json",
	".xml": "application/xml", ".html": "text/html", ".zip": "application/zip",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".png":  "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
}

func mimeOf(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := mimeTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		t, _, _ = strings.Cut(t, ";")
		return t
	}
	return "application/octet-stream"
}

// storeFileLocked keeps data under a new file_id and file_path.
func (s *Server) storeFileLocked(kind, name string, data []byte) *storedFile {
	s.fileSeq++
	id := fmt.Sprintf("fake-%s-%d", kind, s.fileSeq)
	f := &storedFile{id: id, name: name, mime: mimeOf(name), data: data,
		path: fmt.Sprintf("%s/file_%d%s", kind, s.fileSeq, strings.ToLower(path.Ext(name)))}
	if kind == "photos" {
		f.mime = http.DetectContentType(data)
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
			f.width, f.height = cfg.Width, cfg.Height
		}
	}
	s.files[id] = f
	return f
}

func (s *Server) fileByPathLocked(p string) *storedFile {
	for _, f := range s.files {
		if f.path == p {
			return f
		}
	}
	return nil
}

// uniqueID derives file_unique_id from file_id.
func uniqueID(fileID string) string { return "u" + strings.TrimPrefix(fileID, "fake-") }

// inputFileLocked resolves an InputFile parameter: an uploaded part, a
// file_id the server knows, or an HTTP URL (kept without fetching).
func (s *Server) inputFileLocked(p *params, field, kind string) (*storedFile, error) {
	if up, ok := p.files[field]; ok {
		return s.storeFileLocked(kind, up.name, up.data), nil
	}
	ref := strings.TrimSpace(p.str(field))
	if ref == "" {
		return nil, badRequest("there is no %s in the request", strings.TrimSuffix(kind, "s"))
	}
	if strings.HasPrefix(ref, "attach://") {
		if up, ok := p.files[strings.TrimPrefix(ref, "attach://")]; ok {
			return s.storeFileLocked(kind, up.name, up.data), nil
		}
		return nil, badRequest("wrong file identifier/HTTP URL specified")
	}
	if f, ok := s.files[ref]; ok {
		return f, nil
	}
	if u, err := url.Parse(ref); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return s.storeFileLocked(kind, path.Base(u.Path), nil), nil
	}
	return nil, badRequest("wrong file identifier/HTTP URL specified")
}

func (s *Server) getFile(_ *http.Request, p *params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[p.str("file_id")]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	return &models.File{FileID: f.id, FileUniqueID: uniqueID(f.id), FileSize: int64(len(f.data)), FilePath: f.path}, nil
}
