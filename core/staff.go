package core

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// StaffMember is a person who works for the seller.
type StaffMember struct {
	UserID     int64
	Role       Role
	Name       string
	AddedBy    int64
	AddedAt    time.Time
	Configured bool // from OWNER_IDS / MANAGER_IDS; cannot be removed in chat
}

// StaffStore keeps staff added in chat.
type StaffStore interface {
	StaffMembers(ctx context.Context) ([]StaffMember, error)
	PutStaff(ctx context.Context, m StaffMember) error
	RemoveStaff(ctx context.Context, userID int64) (bool, error)
}

// Staff decides who is staff: owners and managers from configuration, plus
// managers the owner added in chat. Everyone else is a customer.
type Staff struct {
	d        Deps
	store    StaffStore
	owners   map[int64]bool
	managers map[int64]bool

	// The staff added in chat, read at most once a staffFresh: RoleOf runs
	// on every update. Changes made here are seen at once; another
	// replica's within staffFresh.
	mu       sync.Mutex
	members  []StaffMember
	loadedAt time.Time
}

// staffFresh is how long the staff added in chat are taken as read.
const staffFresh = time.Second

// stored returns the staff added in chat.
func (s *Staff) stored(ctx context.Context) ([]StaffMember, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.members != nil && time.Since(s.loadedAt) < staffFresh {
		return s.members, nil
	}
	members, err := s.store.StaffMembers(ctx)
	if err != nil {
		return nil, err
	}
	if members == nil {
		members = []StaffMember{}
	}
	s.members, s.loadedAt = members, time.Now()
	return members, nil
}

// forget drops what stored read, after a change.
func (s *Staff) forget() {
	s.mu.Lock()
	s.members = nil
	s.mu.Unlock()
}

// NewStaff returns the staff service with the configured owners and managers.
func NewStaff(d Deps, store StaffStore, owners, managers []int64) *Staff {
	d.fill()
	s := &Staff{d: d, store: store, owners: map[int64]bool{}, managers: map[int64]bool{}}
	for _, id := range owners {
		s.owners[id] = true
	}
	for _, id := range managers {
		s.managers[id] = true
	}
	return s
}

// RoleOf returns the role of a Telegram user, checked on every action.
func (s *Staff) RoleOf(ctx context.Context, userID int64) (Role, error) {
	switch {
	case s.owners[userID]:
		return RoleOwner, nil
	case s.managers[userID]:
		return RoleManager, nil
	}
	members, err := s.stored(ctx)
	if err != nil {
		return "", fmt.Errorf("staff: %w", err)
	}
	for _, m := range members {
		if m.UserID == userID {
			return m.Role, nil
		}
	}
	return RoleCustomer, nil
}

// List returns every staff member, configured ones first.
func (s *Staff) List(ctx context.Context, a Actor) ([]StaffMember, error) {
	if err := a.requireStaff("see the staff list"); err != nil {
		return nil, err
	}
	var out []StaffMember
	for id := range s.owners {
		out = append(out, StaffMember{UserID: id, Role: RoleOwner, Configured: true})
	}
	for id := range s.managers {
		if !s.owners[id] {
			out = append(out, StaffMember{UserID: id, Role: RoleManager, Configured: true})
		}
	}
	stored, err := s.stored(ctx)
	if err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	for _, m := range stored {
		if !s.owners[m.UserID] && !s.managers[m.UserID] {
			out = append(out, m)
		}
	}
	return out, nil
}

// AddManager makes a Telegram user a manager. Owners only.
func (s *Staff) AddManager(ctx context.Context, a Actor, userID int64, name string) error {
	if err := a.requireOwner("add managers"); err != nil {
		return err
	}
	if userID <= 0 {
		return Errorf(ErrInvalid, "that is not a Telegram user id")
	}
	if s.owners[userID] || s.managers[userID] {
		return Errorf(ErrConflict, "user %d is already staff (from configuration)", userID)
	}
	if err := checkText("name", name, MaxNameLen); err != nil {
		return err
	}
	defer s.forget()
	return s.store.PutStaff(ctx, StaffMember{UserID: userID, Role: RoleManager, Name: name, AddedBy: a.UserID, AddedAt: s.d.now()})
}

// RemoveManager takes a manager added in chat off the staff. Owners only;
// staff from configuration are changed in configuration.
func (s *Staff) RemoveManager(ctx context.Context, a Actor, userID int64) error {
	if err := a.requireOwner("remove managers"); err != nil {
		return err
	}
	if s.owners[userID] || s.managers[userID] {
		return Errorf(ErrConflict, "user %d is staff by configuration (OWNER_IDS / MANAGER_IDS); change it there", userID)
	}
	defer s.forget()
	ok, err := s.store.RemoveStaff(ctx, userID)
	if err != nil {
		return fmt.Errorf("staff: %w", err)
	}
	if !ok {
		return Errorf(ErrNotFound, "user %d is not staff", userID)
	}
	return nil
}

// Recipients returns the Telegram ids of everyone who gets staff notices:
// owners and managers, configured and added.
func (s *Staff) Recipients(ctx context.Context) ([]int64, error) {
	members, err := s.List(ctx, System)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(members))
	for _, m := range members {
		ids = append(ids, m.UserID)
	}
	return ids, nil
}

// Owners returns the Telegram ids of owners.
func (s *Staff) Owners(ctx context.Context) ([]int64, error) {
	members, err := s.List(ctx, System)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, m := range members {
		if m.Role == RoleOwner {
			ids = append(ids, m.UserID)
		}
	}
	return ids, nil
}
