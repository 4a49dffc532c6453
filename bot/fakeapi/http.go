package fakeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// apiError is an error answer in Telegram's format.
type apiError struct {
	code       int
	desc       string
	retryAfter int
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.code, e.desc) }

// badRequest builds a 400 answer; the "Bad Request: " prefix is added.
func badRequest(format string, args ...any) error {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func forbidden(desc string) error {
	return &apiError{code: http.StatusForbidden, desc: "Forbidden: " + desc}
}

func conflict(desc string) error {
	return &apiError{code: http.StatusConflict, desc: "Conflict: " + desc}
}

type okResponse struct {
	OK          bool   `json:"ok"`
	Result      any    `json:"result"`
	Description string `json:"description,omitempty"`
}

type errParams struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

type errResponse struct {
	OK          bool       `json:"ok"`
	ErrorCode   int        `json:"error_code"`
	Description string     `json:"description"`
	Parameters  *errParams `json:"parameters,omitempty"`
}

// described is a result that also carries Telegram's "description" field
// (setWebhook answers "Webhook was set").
type described struct {
	result any
	desc   string
}

type methodFunc func(s *Server, r *http.Request, p *params) (any, error)

// methods maps lower-cased Bot API method names (Telegram ignores case) to
// their implementations.
var methods = map[string]methodFunc{
	"getme":                  (*Server).getMe,
	"logout":                 (*Server).okTrue,
	"close":                  (*Server).okTrue,
	"getupdates":             (*Server).getUpdates,
	"setwebhook":             (*Server).setWebhook,
	"deletewebhook":          (*Server).deleteWebhook,
	"getwebhookinfo":         (*Server).getWebhookInfo,
	"sendmessage":            (*Server).sendMessage,
	"senddocument":           (*Server).sendDocument,
	"sendphoto":              (*Server).sendPhoto,
	"sendchataction":         (*Server).sendChatAction,
	"editmessagetext":        (*Server).editMessageText,
	"editmessagecaption":     (*Server).editMessageCaption,
	"editmessagereplymarkup": (*Server).editMessageReplyMarkup,
	"deletemessage":          (*Server).deleteMessage,
	"answercallbackquery":    (*Server).answerCallbackQuery,
	"setmycommands":          (*Server).setMyCommands,
	"getmycommands":          (*Server).getMyCommands,
	"deletemycommands":       (*Server).deleteMyCommands,
	"setchatmenubutton":      (*Server).okTrue,
	"getfile":                (*Server).getFile,
	"getchat":                (*Server).getChat,
	"getchatmember":          (*Server).getChatMember,
	"sendinvoice":            (*Server).sendInvoice,
	"answerprecheckoutquery": (*Server).answerPreCheckoutQuery,
	"refundstarpayment":      (*Server).refundStarPayment,
}

// ServeHTTP implements http.Handler; see Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/file/bot"):
		s.serveFile(w, r, strings.TrimPrefix(path, "/file/bot"))
	case strings.HasPrefix(path, "/bot"):
		s.serveMethod(w, r, strings.TrimPrefix(path, "/bot"))
	default:
		writeError(w, &apiError{code: http.StatusNotFound, desc: "Not Found"})
	}
}

// splitToken splits "<token>/<rest>" and checks the token.
func (s *Server) splitToken(rest string) (string, error) {
	token, tail, ok := strings.Cut(rest, "/")
	if !ok || token == "" {
		return "", &apiError{code: http.StatusNotFound, desc: "Not Found"}
	}
	if s.token != "" && token != s.token {
		return "", &apiError{code: http.StatusUnauthorized, desc: "Unauthorized"}
	}
	return tail, nil
}

func (s *Server) serveMethod(w http.ResponseWriter, r *http.Request, rest string) {
	name, err := s.splitToken(rest)
	if err != nil {
		s.reply(w, nil, err)
		return
	}
	name = strings.ToLower(strings.TrimPrefix(name, "test/"))
	done := s.beginRequest(name)
	defer done()
	if err := s.delay(r); err != nil {
		return
	}
	if err := s.takeFailure(name); err != nil {
		s.reply(w, nil, err)
		return
	}
	fn, ok := methods[name]
	if !ok {
		s.reply(w, nil, &apiError{code: http.StatusNotFound, desc: "Not Found: method not found"})
		return
	}
	p, err := parseParams(r)
	if err != nil {
		s.reply(w, nil, err)
		return
	}
	res, err := fn(s, r, p)
	s.reply(w, res, err)
}

// reply writes a success or error answer and counts 429s.
func (s *Server) reply(w http.ResponseWriter, res any, err error) {
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = &apiError{code: http.StatusInternalServerError, desc: "Internal Server Error: " + err.Error()}
		}
		if ae.code == http.StatusTooManyRequests {
			s.mu.Lock()
			s.lim.tooMany++
			s.mu.Unlock()
		}
		writeError(w, ae)
		return
	}
	out := okResponse{OK: true, Result: res}
	if d, ok := res.(described); ok {
		out.Result, out.Description = d.result, d.desc
	}
	writeJSON(w, http.StatusOK, &out)
}

func writeError(w http.ResponseWriter, e *apiError) {
	out := errResponse{ErrorCode: e.code, Description: e.desc}
	if e.retryAfter > 0 {
		out.Parameters = &errParams{RetryAfter: e.retryAfter}
	}
	writeJSON(w, e.code, &out)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		code = http.StatusInternalServerError
		body = []byte(`{"ok":false,"error_code":500,"description":"Internal Server Error: ` + jsonEscape(err.Error()) + `"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write(body)
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// serveFile answers GET /file/bot<token>/<file_path> with the file's bytes.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	path, err := s.splitToken(rest)
	if err != nil {
		s.reply(w, nil, err)
		return
	}
	s.mu.Lock()
	f := s.fileByPathLocked(path)
	s.mu.Unlock()
	if f == nil {
		writeError(w, &apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	w.Header().Set("Content-Type", f.mime)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.data))
}

func (s *Server) okTrue(*http.Request, *params) (any, error) { return true, nil }
