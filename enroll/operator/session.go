package operator

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Policy is the station's account policy, kept in its config file.
type Policy struct {
	// LockoutAfter is how many consecutive failed logins lock an account.
	LockoutAfter int `json:"lockout_after"`
	// IdleTimeout ends a session left unused this long.
	IdleTimeout time.Duration `json:"idle_timeout"`
}

// DefaultPolicy locks after 5 failures and logs out after 10 idle minutes.
var DefaultPolicy = Policy{LockoutAfter: 5, IdleTimeout: 10 * time.Minute}

// Check reports a policy that cannot work.
func (p Policy) Check() error {
	if p.LockoutAfter < 1 || p.LockoutAfter > 100 {
		return fmt.Errorf("lockout_after %d outside 1..100", p.LockoutAfter)
	}
	if p.IdleTimeout < time.Minute || p.IdleTimeout > 24*time.Hour {
		return fmt.Errorf("idle_timeout %v outside 1m..24h", p.IdleTimeout)
	}
	return nil
}

// Errors a session returns when an action is refused.
var (
	// ErrForbidden: the role does not allow the action.
	ErrForbidden = errors.New("not allowed for this role")
	// ErrIdle: the session was idle longer than the policy allows.
	ErrIdle = errors.New("session expired after idle timeout; log in again")
	// ErrNoSession: an action that needs an operator got none.
	ErrNoSession = errors.New("no operator session")
)

// Session is an authenticated operator acting at the station. It is safe
// for concurrent use.
type Session struct {
	// OperatorID is the account's id (0 for the station's system jobs).
	OperatorID int64
	// Name is the account name, recorded as the actor in the audit log.
	Name string
	// Role decides what the session may do.
	Role Role
	// IdleTimeout is the policy's idle limit at login (0 = none).
	IdleTimeout time.Duration

	mu       sync.Mutex
	lastSeen time.Time
}

// NewSession starts a session at now.
func NewSession(id int64, name string, role Role, idle time.Duration, now time.Time) *Session {
	return &Session{OperatorID: id, Name: name, Role: role, IdleTimeout: idle, lastSeen: now}
}

// Authorize checks that the session is alive at now and its role allows
// action, and marks it used.
func (s *Session) Authorize(action Action, now time.Time) error {
	if s == nil {
		return ErrNoSession
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.IdleTimeout > 0 && now.Sub(s.lastSeen) > s.IdleTimeout {
		return fmt.Errorf("%s: %w", s.Name, ErrIdle)
	}
	if !Allowed(s.Role, action) {
		return fmt.Errorf("%s (%s) may not %s: %w", s.Name, s.Role, action, ErrForbidden)
	}
	s.lastSeen = now
	return nil
}
