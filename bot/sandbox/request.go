package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// maxJSONBody bounds request bodies of the JSON endpoints.
const maxJSONBody = 64 << 10

// apiError is an answer for a request that cannot be served, with a
// message meant for the person or program that sent it.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) error {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

// errorBody is every error answer: {"error": "..."}.
type errorBody struct {
	Error string `json:"error"`
}

// handlerFunc is an endpoint; a returned error becomes a JSON answer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// methods maps HTTP methods to the handlers of one path.
type methods map[string]handlerFunc

// endpoint serves a path with one handler per HTTP method (GET also
// answers HEAD), answering 405 with Allow for the others, 404 when it has
// none.
type endpoint struct {
	page *Page
	m    methods
}

func (e endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := e.m
	if len(m) == 0 {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "no such page or endpoint: " + r.URL.Path})
		return
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	h, ok := m[method]
	if !ok {
		allow := make([]string, 0, len(m))
		for k := range m {
			allow = append(allow, k)
		}
		slices.Sort(allow)
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: r.Method + " is not allowed here; use " + strings.Join(allow, " or ")})
		return
	}
	if err := h(w, r); err != nil {
		e.page.writeError(w, r, err)
	}
}

// writeError answers with the error's status and message; anything that
// is not an apiError is a 500 whose details stay out of the answer.
func (p *Page) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		p.log.Error("sandbox request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		ae = &apiError{status: http.StatusInternalServerError, msg: "internal error; see the server log"}
	}
	writeJSON(w, ae.status, errorBody{Error: ae.msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"internal error: cannot encode the answer"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// decodeJSON reads a JSON object body into dst, strictly: the content type
// must be JSON, unknown fields and trailing data are refused.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" {
		return errorf(http.StatusUnsupportedMediaType, "send a JSON body with Content-Type: application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errorf(http.StatusRequestEntityTooLarge, "body is larger than %d bytes", maxJSONBody)
		}
		return errorf(http.StatusBadRequest, "invalid JSON body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(http.StatusBadRequest, "invalid JSON body: unexpected data after the object")
	}
	return nil
}

// queryInt reads a required positive integer query parameter.
func queryInt(r *http.Request, key string) (int64, error) {
	raw := r.URL.Query().Get(key)
	if raw == "" {
		return 0, errorf(http.StatusBadRequest, "query parameter %s is required", key)
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		return 0, errorf(http.StatusBadRequest, "query parameter %s must be a positive integer, got %q", key, raw)
	}
	return n, nil
}

// persona returns the persona with id, or a 404 that says what to do.
func (p *Page) persona(id int64) (Persona, error) {
	if id <= 0 {
		return Persona{}, errorf(http.StatusBadRequest, "user must be a positive persona id")
	}
	per, ok := p.people.get(id)
	if !ok {
		return Persona{}, errorf(http.StatusNotFound, "unknown user %d: pick one of GET api/personas or add a customer", id)
	}
	return per, nil
}

// personaParam reads the persona named by the "user" query parameter.
func (p *Page) personaParam(r *http.Request) (Persona, error) {
	id, err := queryInt(r, "user")
	if err != nil {
		return Persona{}, err
	}
	return p.persona(id)
}
