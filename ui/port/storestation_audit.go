package port

import (
	"context"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

var _ AuditViewer = (*StoreStation)(nil)

// AuditQuery reads one page of the audit log.
func (st *StoreStation) AuditQuery(ctx context.Context, sess *operator.Session, f store.AuditFilter) (store.AuditPage, error) {
	return st.S.AuditQuery(ctx, sess, f)
}

// AuditFacets lists the log's actors and actions.
func (st *StoreStation) AuditFacets(ctx context.Context, sess *operator.Session) ([]string, []string, error) {
	return st.S.AuditFacets(ctx, sess)
}
