package sandbox

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
	"github.com/orderbot/orderbot/bot/fakeapi"
)

// Persona is someone a visitor of the page can act as: a user of the fake
// Telegram with a role label shown next to the name.
type Persona struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Role  string `json:"role"`  // a label only; the bot decides what the user may do
	Lang  string `json:"lang"`  // Telegram's language_code, e.g. "en"
	Phone string `json:"phone"` // the number "share phone" sends
}

// RoleCustomer is the role of personas added from the page.
const RoleCustomer = "customer"

// Limits on persona fields, so the page stays readable.
const (
	maxNameLen = 64
	maxRoleLen = 32
)

// people is the persona list, in the order personas were added.
type people struct {
	mu    sync.Mutex
	list  []Persona
	first int64 // lowest id for customers added from the page
}

func (ps *people) all() []Persona {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return append([]Persona(nil), ps.list...)
}

func (ps *people) get(id int64) (Persona, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.list {
		if p.ID == id {
			return p, true
		}
	}
	return Persona{}, false
}

// put adds p, or replaces the persona with its id in place.
func (ps *people) put(p Persona) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.putLocked(p)
}

func (ps *people) putLocked(p Persona) {
	for i := range ps.list {
		if ps.list[i].ID == p.ID {
			ps.list[i] = p
			return
		}
	}
	ps.list = append(ps.list, p)
}

// newCustomer adds a customer with the next free id; an empty name becomes
// "Customer N".
func (ps *people) newCustomer(name, lang string) (Persona, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	id, n := ps.first, 1
	for _, p := range ps.list {
		id = max(id, p.ID+1)
		if p.Role == RoleCustomer {
			n++
		}
	}
	if strings.TrimSpace(name) == "" {
		name = fmt.Sprintf("Customer %d", n)
	}
	p, err := normalize(Persona{ID: id, Name: name, Role: RoleCustomer, Lang: lang})
	if err != nil {
		return Persona{}, err
	}
	ps.putLocked(p)
	return p, nil
}

// normalize trims and checks a persona, filling defaults: role
// "customer", language "en" and the fake server's default phone.
func normalize(p Persona) (Persona, error) {
	p.Name, p.Role = strings.TrimSpace(p.Name), strings.TrimSpace(p.Role)
	p.Lang, p.Phone = strings.TrimSpace(p.Lang), strings.TrimSpace(p.Phone)
	if p.ID <= 0 {
		return p, fmt.Errorf("persona id %d must be positive", p.ID)
	}
	if err := checkLabel("name", p.Name, maxNameLen); err != nil {
		return p, err
	}
	if p.Role == "" {
		p.Role = RoleCustomer
	}
	if err := checkLabel("role", p.Role, maxRoleLen); err != nil {
		return p, err
	}
	if p.Lang == "" {
		p.Lang = "en"
	}
	if !validLang(p.Lang) {
		return p, fmt.Errorf("language %q is not a language code such as \"en\" or \"pt-BR\"", p.Lang)
	}
	if p.Phone == "" {
		p.Phone = fmt.Sprintf("+1555%07d", p.ID%10000000)
	}
	if !validPhone(p.Phone) {
		return p, fmt.Errorf("phone %q must be 5 to 15 digits with an optional leading +", p.Phone)
	}
	return p, nil
}

func checkLabel(field, s string, maxLen int) error {
	switch {
	case s == "":
		return fmt.Errorf("%s is empty", field)
	case utf8.RuneCountInString(s) > maxLen:
		return fmt.Errorf("%s is longer than %d characters", field, maxLen)
	case strings.IndexFunc(s, unicode.IsControl) >= 0 || !utf8.ValidString(s):
		return fmt.Errorf("%s contains control characters or invalid UTF-8", field)
	}
	return nil
}

// validLang accepts codes like "en", "ru", "pt-BR".
func validLang(s string) bool {
	base, region, hasRegion := strings.Cut(s, "-")
	if len(base) < 2 || len(base) > 3 || strings.IndexFunc(base, notLower) >= 0 {
		return false
	}
	return !hasRegion || (len(region) >= 2 && len(region) <= 8 && strings.IndexFunc(region, notAlnum) < 0)
}

func notLower(r rune) bool { return r < 'a' || r > 'z' }

func notAlnum(r rune) bool { return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))) }

func validPhone(s string) bool {
	digits := strings.TrimPrefix(s, "+")
	return len(digits) >= 5 && len(digits) <= 15 && strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// register makes the persona a user of the fake server with its phone.
func register(srv *fakeapi.Server, p Persona) error {
	first, last, _ := strings.Cut(p.Name, " ")
	srv.AddUser(models.User{ID: p.ID, FirstName: first, LastName: strings.TrimSpace(last), LanguageCode: p.Lang})
	if err := srv.SetUserPhone(p.ID, p.Phone); err != nil {
		return fmt.Errorf("set phone of persona %d: %w", p.ID, err)
	}
	return nil
}
