package port

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/receipt"
	"github.com/rekam-ktp/rekam/internal/atomicfile"
)

// ReceiptsDir is the folder under the data folder that saved receipts go
// to.
const ReceiptsDir = receipt.Dir

var _ Receipts = (*StoreStation)(nil)

// Receipt builds an enrollment's receipt as sess, printed at now, in the
// station's local time.
func (st *StoreStation) Receipt(ctx context.Context, sess *operator.Session, id int64, now time.Time) (receipt.Receipt, error) {
	if st.keys == nil {
		return receipt.Receipt{}, fmt.Errorf("receipt of enrollment %d: the station's keys are not loaded", id)
	}
	return receipt.Build(ctx, st.S, sess, id, receipt.KeyFrom(st.keys), now, time.Local)
}

// SaveReceipt writes pdf as receipts/receipt-<station>-<id>.pdf under the
// data folder, readable by the station's user only (it names the
// resident); the file name holds no personal data. The file is a copy of
// personal data outside the encrypted store, so sess must be allowed to
// read the enrollment and the export is audited before anything is
// written (store.RecordExport).
func (st *StoreStation) SaveReceipt(ctx context.Context, sess *operator.Session, r receipt.Receipt, pdf []byte) (string, error) {
	if err := st.S.RecordExport(ctx, sess, r.EnrollmentID, "receipt.pdf"); err != nil {
		return "", fmt.Errorf("save receipt: %w", err)
	}
	path := receipt.Path(st.dataDir, r.StationID, r.EnrollmentID)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("save receipt: %w", err)
	}
	if err := atomicfile.WriteBytes(path, 0o600, pdf); err != nil {
		return "", fmt.Errorf("save receipt: %w", err)
	}
	return path, nil
}
