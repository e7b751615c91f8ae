package port

import (
	"context"
	"fmt"

	"github.com/rekam-ktp/rekam/enroll/operator"
)

var _ BenchAudit = (*StoreStation)(nil)

// AuditCaptureFile records "device.capture_file" for the device (its bench
// id, e.g. fp0) with the number of files written; the technician's role is
// checked (operator.DeviceService).
func (st *StoreStation) AuditCaptureFile(ctx context.Context, sess *operator.Session, device string, n int) error {
	if err := st.S.AuditEvent(ctx, sess, operator.DeviceService, "device.capture_file", "device:"+device, fmt.Sprintf("files=%d", n)); err != nil {
		return fmt.Errorf("audit capture to file: %w", err)
	}
	return nil
}
