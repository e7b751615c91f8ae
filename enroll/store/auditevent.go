package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/rekam-ktp/rekam/enroll/operator"
)

// ErrPersonalEvent refuses an audit event under an action that touches
// personal data: those actions are audited by the store methods that do
// them, never by a front end's free text.
var ErrPersonalEvent = errors.New("audit event: personal-data actions are audited by the store itself")

// AuditEvent records something a front end did outside the database (the
// settings file changed, a device was serviced) in the audit chain, after
// checking that sess may perform action. event is the entry's action name
// (e.g. "settings.change"), object what it touched (e.g. "config:settings"),
// detail a short description; none of them may hold personal data.
func (s *Store) AuditEvent(ctx context.Context, sess *operator.Session, action operator.Action, event, object, detail string) error {
	if operator.Personal(action) {
		return fmt.Errorf("%s: %w", event, ErrPersonalEvent)
	}
	if event == "" {
		return errors.New("audit event: no event name")
	}
	if err := s.authorize(ctx, sess, action, object); err != nil {
		return err
	}
	return s.write(ctx, func(tx *wtx) error {
		return tx.audit(sess.Name, event, object, detail)
	})
}
