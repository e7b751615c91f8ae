package port

import (
	"context"
	"time"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/receipt"
)

// Receipts is what the receipt screen asks of the station: an
// enrollment's receipt (its reads audited) and a place to keep the PDF.
type Receipts interface {
	// Receipt builds enrollment id's receipt as sess, printed at now.
	Receipt(ctx context.Context, sess *operator.Session, id int64, now time.Time) (receipt.Receipt, error)
	// SaveReceipt writes a rendered receipt into the station's receipts
	// folder atomically, as sess (the export is audited), and returns the
	// file's path.
	SaveReceipt(ctx context.Context, sess *operator.Session, r receipt.Receipt, pdf []byte) (string, error)
}
