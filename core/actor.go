package core

// Role is what a person may do. Staff roles are bootstrapped from
// configuration and managed by owners; everyone else is a customer.
type Role string

// Roles, from least to most authority.
const (
	RoleCustomer Role = "customer"
	RoleManager  Role = "manager"
	RoleOwner    Role = "owner"
	// RoleSystem acts for scheduled jobs and automatic transitions.
	RoleSystem Role = "system"
)

// IsStaff reports whether the role may act on other people's orders.
func (r Role) IsStaff() bool { return r == RoleManager || r == RoleOwner || r == RoleSystem }

// Actor is who performs an action. It is written into every order event.
type Actor struct {
	Role       Role
	UserID     int64 // Telegram user id; 0 for the system and the command line
	CustomerID int64 // set when Role is RoleCustomer
	Name       string
}

// System is the actor of automatic changes and command-line tools.
var System = Actor{Role: RoleSystem, Name: "system"}

func (a Actor) requireStaff(what string) error {
	if !a.Role.IsStaff() {
		return Errorf(ErrForbidden, "only staff can %s", what)
	}
	return nil
}

func (a Actor) requireOwner(what string) error {
	if a.Role != RoleOwner && a.Role != RoleSystem {
		return Errorf(ErrForbidden, "only the owner can %s", what)
	}
	return nil
}
