package port

import (
	"context"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

var _ FingerLogin = (*StoreStation)(nil)

// FingerLogin identifies an operator by finger.
func (st *StoreStation) FingerLogin(ctx context.Context, probe *finger.Template) (*operator.Session, error) {
	return st.S.FingerLogin(ctx, probe)
}

// EnrollOperatorFinger sets an operator's login finger.
func (st *StoreStation) EnrollOperatorFinger(ctx context.Context, sess *operator.Session, name, password string, pos Finger, t *finger.Template) error {
	return st.S.EnrollOperatorFinger(ctx, sess, name, password, int(pos), t)
}

// RemoveOperatorFinger deletes an operator's login finger.
func (st *StoreStation) RemoveOperatorFinger(ctx context.Context, sess *operator.Session, name, password string) error {
	return st.S.RemoveOperatorFinger(ctx, sess, name, password)
}

// OperatorFingers lists the enrolled login fingers.
func (st *StoreStation) OperatorFingers(ctx context.Context, sess *operator.Session) ([]store.OperatorFinger, error) {
	return st.S.OperatorFingers(ctx, sess)
}
