package port

import (
	"context"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// AuditViewer reads the audit log for the roles that may (implemented by
// *StoreStation). Every page read is itself audited by the store.
type AuditViewer interface {
	// AuditQuery returns one page of matching entries, newest first.
	AuditQuery(ctx context.Context, sess *operator.Session, f store.AuditFilter) (store.AuditPage, error)
	// AuditFacets lists the actors and actions the log holds.
	AuditFacets(ctx context.Context, sess *operator.Session) (actors, actions []string, err error)
}
