package port

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/internal/atomicfile"
)

// Bench is the technician's view of the station's devices: every attached
// device (not only the first of each modality the capture screens use) and,
// when the station runs with simulated devices, their control.
type Bench interface {
	// Devices lists every device, in a stable order.
	Devices() []BenchDevice
	// Sim controls the simulated devices; nil on real hardware.
	Sim() SimControl
}

// BenchDevice is one device on the technician's bench. Every method may
// block on the device: call them off the UI thread.
type BenchDevice interface {
	Device
	// ID is the device's stable key (the simulator's name for a simulated
	// device, so SimControl calls can name it).
	ID() string
	// Kind is "finger", "iris", "face" or "signature".
	Kind() string
	// Info reads the device's identity (model, serial, firmware, path).
	Info(ctx context.Context) (DeviceInfo, error)
	// SelfTest runs the device's own checks.
	SelfTest(ctx context.Context) (SelfTest, error)
	// Preview streams live frames (rendered ink for a pad) to each until
	// ctx ends; it returns nil when ctx ends, the device's error otherwise.
	Preview(ctx context.Context, each Preview) error
	// Snapshot takes one capture for saving to files.
	Snapshot(ctx context.Context) (Snapshot, error)
}

// DeviceInfo is a device's identity as the driver reports it; empty fields
// are ones the driver does not expose.
type DeviceInfo struct {
	Kind, Driver, Vendor, Model, Serial, Firmware, Transport, Path string
}

// SelfTest is a device self-test's verdict.
type SelfTest struct {
	OK     bool
	Checks []SelfTestCheck
	RTT    time.Duration
}

// SelfTestCheck is one line of a self-test.
type SelfTestCheck struct {
	Name   string
	OK     bool
	Detail string
}

// Snapshot is one capture for the technician's files: an image (the
// rendered ink for a pad) and, for a pad, its ISO/IEC 19794-7 record.
type Snapshot struct {
	Image   image.Image
	Quality int
	// Record is the pad's 19794-7 signature record (nil for images).
	Record []byte
}

// SimControl drives the simulated devices (rekam --sim): the technician
// unplugs and replugs them, puts a finger on or lifts it, and arms each
// scripted fault the simulator supports. Calls are quick and never block
// on a device.
type SimControl interface {
	// SimStatus reports a simulated device's state (ErrUnknownSim when id
	// is not simulated).
	SimStatus(id string) (SimStatus, error)
	// Inject arms a scripted fault for the device's next operation.
	Inject(id, fault string) error
	// ClearFaults disarms every armed fault.
	ClearFaults(id string) error
	// Unplug pulls the device out.
	Unplug(id string) error
	// Replug plugs it back.
	Replug(id string) error
	// SetFinger puts a finger on the sensor or lifts it (finger devices).
	SetFinger(id string, present bool) error
}

// SimStatus is a simulated device's state.
type SimStatus struct {
	Plugged bool
	// HasFinger is true for finger devices; FingerPresent then says
	// whether a finger is on the sensor.
	HasFinger, FingerPresent bool
	// Supported lists the fault names the device's simulator can produce.
	Supported []string
	// Armed lists the armed faults, as "name×count".
	Armed []string
}

// Technician-screen errors: devport maps the drivers' typed errors to
// these (alongside ErrNoDevice and ErrTimeout) so the screen can show a
// specific message.
var (
	// ErrDeviceBusy: the device is busy with another operation.
	ErrDeviceBusy = errors.New("device busy")
	// ErrSensorFault: the device reports a hardware or sensor failure.
	ErrSensorFault = errors.New("sensor fault")
	// ErrProtocol: the device sent bytes that break its protocol.
	ErrProtocol = errors.New("protocol error")
	// ErrPoorImage: an image was taken but is unusable.
	ErrPoorImage = errors.New("poor image")
	// ErrNoFinger: no finger on the sensor.
	ErrNoFinger = errors.New("no finger on the sensor")
	// ErrUnknownSim: the named device is not simulated.
	ErrUnknownSim = errors.New("not a simulated device")
)

// snapshotName keeps file names to a safe alphabet.
var snapshotName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// SaveSnapshot writes a snapshot into dir (created 0700) as name.png and,
// for a pad, name.sig (the 19794-7 record), each atomically. It returns
// the paths written.
func SaveSnapshot(dir, name string, s Snapshot) ([]string, error) {
	if !snapshotName.MatchString(name) {
		return nil, fmt.Errorf("save snapshot: file name %q: letters, digits, '.', '_' and '-' only", name)
	}
	if dir == "" {
		return nil, errors.New("save snapshot: no folder")
	}
	if s.Image == nil {
		return nil, errors.New("save snapshot: no image")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("save snapshot: %w", err)
	}
	img := filepath.Join(dir, name+".png")
	if err := atomicfile.Write(img, 0o600, func(w io.Writer) error { return png.Encode(w, s.Image) }); err != nil {
		return nil, fmt.Errorf("save snapshot: %w", err)
	}
	out := []string{img}
	if s.Record != nil {
		rec := filepath.Join(dir, name+".sig")
		if err := atomicfile.WriteBytes(rec, 0o600, s.Record); err != nil {
			return out, fmt.Errorf("save snapshot: %w", err)
		}
		out = append(out, rec)
	}
	return out, nil
}

// BenchAudit records in the audit log what the technician's bench writes
// out of the station (captures to file), without personal data.
type BenchAudit interface {
	// AuditCaptureFile records that device's capture was written to n files.
	AuditCaptureFile(ctx context.Context, sess *operator.Session, device string, n int) error
}
