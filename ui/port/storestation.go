package port

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/config"
	"github.com/rekam-ktp/rekam/enroll/keys"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
)

// Launcher finds, opens or creates the station behind a data folder and its
// config folder (the keys and the config file).
type Launcher struct {
	// DataDir holds the database.
	DataDir string
	// ConfigDir holds the key files and config.json.
	ConfigDir string
	// Options tune the store (tests set a clock and cheap hashes); the
	// policy comes from the config file.
	Options store.Options
	// Recovery are the argon2id parameters for the recovery passphrase
	// (keys.RecoveryParams when zero).
	Recovery keys.KDFParams
}

// HasStation reports whether the folders hold a station already: a key
// file and a database. When false the app shows the first-run setup.
func (l Launcher) HasStation() bool {
	if _, err := os.Stat(filepath.Join(l.ConfigDir, keys.KeyFile)); err != nil {
		return false
	}
	_, err := os.Stat(filepath.Join(l.DataDir, store.FileName))
	return err == nil
}

// Open opens the existing station.
func (l Launcher) Open(ctx context.Context) (*StoreStation, error) {
	k, err := keys.Load(l.ConfigDir)
	if err != nil {
		return nil, fmt.Errorf("open station: %w", err)
	}
	cfg, err := config.Load(l.ConfigDir)
	if err != nil {
		return nil, fmt.Errorf("open station: %w", err)
	}
	opt := l.Options
	opt.Policy = cfg.Policy()
	opt.Create = false
	s, err := store.Open(ctx, filepath.Join(l.DataDir, store.FileName), k, opt)
	if err != nil {
		return nil, fmt.Errorf("open station: %w", err)
	}
	if _, err := s.Station(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open station: %w", err)
	}
	return &StoreStation{S: s, dataDir: l.DataDir, keys: k, configDir: l.ConfigDir}, nil
}

// SetupRequest is what the first-run screen collects.
type SetupRequest struct {
	Station   store.Station
	Admin     string
	Password  string
	Recovery  string
	Regions   []wilayah.Region
	TimeoutMn int
}

// MinRecoveryLength is the shortest recovery passphrase accepted.
const MinRecoveryLength = 12

// Check validates a request before anything is written.
func (r SetupRequest) Check() error {
	if err := r.Station.Check(); err != nil {
		return err
	}
	if err := store.CheckOperatorName(r.Admin); err != nil {
		return err
	}
	if err := operator.CheckPassword(r.Password); err != nil {
		return err
	}
	if len(r.Recovery) < MinRecoveryLength {
		return fmt.Errorf("recovery passphrase: at least %d characters", MinRecoveryLength)
	}
	return nil
}

// Create makes a new station: keys (with the recovery copy) and config file
// in the config folder, the database with the station and its first admin in
// the data folder, and the region master data when given.
func (l Launcher) Create(ctx context.Context, req SetupRequest) (*StoreStation, error) {
	if err := req.Check(); err != nil {
		return nil, fmt.Errorf("create station: %w", err)
	}
	if l.HasStation() {
		return nil, fmt.Errorf("create station: %w", store.ErrExists)
	}
	k, err := keys.Generate(req.Station.ID)
	if err != nil {
		return nil, fmt.Errorf("create station: %w", err)
	}
	rp := l.Recovery
	if rp == (keys.KDFParams{}) {
		rp = keys.RecoveryParams
	}
	wrapped, err := keys.Wrap(k, req.Recovery, rp)
	if err != nil {
		return nil, fmt.Errorf("create station: %w", err)
	}
	if err := keys.Save(l.ConfigDir, k, wrapped); err != nil {
		return nil, fmt.Errorf("create station: %w", err)
	}
	if err := config.Save(l.ConfigDir, config.New(req.Station.ID, req.Station.Kecamatan)); err != nil {
		return nil, fmt.Errorf("create station: %w", err)
	}
	if err := os.MkdirAll(l.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create station: %w", err)
	}
	opt := l.Options
	opt.Create = true
	s, err := store.Open(ctx, filepath.Join(l.DataDir, store.FileName), k, opt)
	if err != nil {
		return nil, fmt.Errorf("create station: %w", err)
	}
	if err := s.Bootstrap(ctx, req.Station, req.Admin, req.Password); err != nil {
		s.Close()
		return nil, fmt.Errorf("create station: %w", err)
	}
	if len(req.Regions) > 0 {
		if _, err := s.ImportRegions(ctx, req.Regions); err != nil {
			s.Close()
			return nil, fmt.Errorf("create station: %w", err)
		}
	}
	return &StoreStation{S: s, dataDir: l.DataDir, keys: k, configDir: l.ConfigDir}, nil
}

// StoreStation is the Station over enroll/store.
type StoreStation struct {
	// S is the open store.
	S       *store.Store
	dataDir string
	// keys and configDir let an approval seal the enrollment at once when
	// the station is registered with the national server.
	keys      *keys.Keys
	configDir string
	// dd is the duplicate checker (storestation_dedup.go).
	dd dedupHandle
}

var _ Station = (*StoreStation)(nil)

// Close closes the store.
func (st *StoreStation) Close() error { return st.S.Close() }

// Info returns the station's identity.
func (st *StoreStation) Info(ctx context.Context) (store.Station, error) { return st.S.Station(ctx) }

// Policy returns the account policy.
func (st *StoreStation) Policy() operator.Policy { return st.S.Policy() }

// Login checks a password.
func (st *StoreStation) Login(ctx context.Context, name, password string) (*operator.Session, error) {
	return st.S.Login(ctx, name, password)
}

// Regions lists the regions under parent.
func (st *StoreStation) Regions(ctx context.Context, parent string) ([]wilayah.Region, error) {
	return st.S.RegionChildren(ctx, parent)
}

// NIKRegions returns the store's master data as nik.Regions, or nil when
// none is imported (the NIK check then warns "region unchecked").
func (st *StoreStation) NIKRegions(ctx context.Context) nik.Regions {
	if n, err := st.S.RegionCount(ctx); err != nil || n == 0 {
		return nil
	}
	return st.S.RegionChecker(ctx)
}

// ResidentByNIK finds a stored resident.
func (st *StoreStation) ResidentByNIK(ctx context.Context, sess *operator.Session, n string) (store.ResidentRecord, error) {
	return st.S.ResidentByNIK(ctx, sess, n)
}

// Resident returns a stored resident.
func (st *StoreStation) Resident(ctx context.Context, sess *operator.Session, id int64) (store.ResidentRecord, error) {
	return st.S.Resident(ctx, sess, id)
}

// SaveResident adds or updates a resident.
func (st *StoreStation) SaveResident(ctx context.Context, sess *operator.Session, id int64, r enroll.Resident) (int64, error) {
	if id == 0 {
		return st.S.AddResident(ctx, sess, r)
	}
	return id, st.S.UpdateResident(ctx, sess, id, r)
}

// StartEnrollment opens a DRAFT enrollment.
func (st *StoreStation) StartEnrollment(ctx context.Context, sess *operator.Session, residentID int64) (int64, error) {
	return st.S.CreateEnrollment(ctx, sess, residentID)
}

// Enrollment returns one enrollment.
func (st *StoreStation) Enrollment(ctx context.Context, sess *operator.Session, id int64) (store.Enrollment, error) {
	return st.S.Enrollment(ctx, sess, id)
}

// Enrollments lists enrollments in a state.
func (st *StoreStation) Enrollments(ctx context.Context, sess *operator.Session, state enroll.State) ([]store.Enrollment, error) {
	return st.S.Enrollments(ctx, sess, state)
}

// Captures returns an enrollment's saved steps.
func (st *StoreStation) Captures(ctx context.Context, sess *operator.Session, id int64) ([]store.Capture, error) {
	return st.S.Captures(ctx, sess, id)
}

// SaveCapture stores one capture step.
func (st *StoreStation) SaveCapture(ctx context.Context, sess *operator.Session, id int64, step string, blob []byte, meta store.CaptureMeta) error {
	return st.S.SaveCapture(ctx, sess, id, step, blob, meta)
}

// Submit checks every step is saved and moves DRAFT → BIO_CAPTURED.
func (st *StoreStation) Submit(ctx context.Context, sess *operator.Session, id int64) error {
	caps, err := st.S.Captures(ctx, sess, id)
	if err != nil {
		return fmt.Errorf("submit enrollment %d: %w", id, err)
	}
	if missing := MissingSteps(caps); len(missing) > 0 {
		return fmt.Errorf("submit enrollment %d: %w: %v", id, ErrIncomplete, missing)
	}
	return st.S.Transition(ctx, sess, id, enroll.BioCaptured, "")
}

// MissingSteps returns the capture steps not among caps, in flow order.
func MissingSteps(caps []store.Capture) []string {
	have := make(map[string]bool, len(caps))
	for _, c := range caps {
		have[c.Step] = true
	}
	var missing []string
	for _, s := range Steps() {
		if !have[s] {
			missing = append(missing, s)
		}
	}
	return missing
}

// Decide approves or rejects an enrollment after checking the four-eyes
// rule: the store checks the role, this checks the person.
func (st *StoreStation) Decide(ctx context.Context, sess *operator.Session, id int64, approve bool, reason string) error {
	to := enroll.Rejected
	if approve {
		to = enroll.Approved
	} else if reason == "" {
		return fmt.Errorf("decide enrollment %d: a rejection needs a reason", id)
	}
	if approve {
		// Nothing is approved unchecked (storestation_dedup.go).
		if err := st.clearForApproval(ctx, sess, id); err != nil {
			return err
		}
	}
	// The store refuses a decision by whoever recorded the enrollment.
	err := st.S.Transition(ctx, sess, id, to, reason)
	if errors.Is(err, store.ErrOwnEnrollment) {
		return fmt.Errorf("decide enrollment %d: %w", id, ErrOwnEnrollment)
	}
	if err != nil || !approve {
		return err
	}
	return st.sealApproved(ctx, sess, id)
}

// sealApproved seals an APPROVED enrollment at once when the station is
// registered (an unregistered station keeps it APPROVED until it is); the
// duplicate checker's gallery learns it.
func (st *StoreStation) sealApproved(ctx context.Context, sess *operator.Session, id int64) error {
	if st.keys == nil {
		return nil
	}
	reg, err := syncstation.LoadRegistration(st.configDir)
	if errors.Is(err, syncstation.ErrNotRegistered) {
		return nil
	}
	if err == nil {
		_, err = (&syncstation.Sealer{Store: st.S, Keys: st.keys, Reg: reg, DataDir: st.dataDir, Dedup: st.sealChecker(ctx)}).Seal(ctx, sess, id)
	}
	if err != nil {
		return fmt.Errorf("enrollment %d approved, but not sealed yet: %w", id, err)
	}
	return nil
}

// Void ends a DRAFT.
func (st *StoreStation) Void(ctx context.Context, sess *operator.Session, id int64, reason string) error {
	return st.S.Void(ctx, sess, id, reason)
}

// Outbox lists sealed packets.
func (st *StoreStation) Outbox(ctx context.Context, sess *operator.Session, status string) ([]store.OutboxItem, error) {
	return st.S.Outbox(ctx, sess, status)
}

// Operators lists accounts.
func (st *StoreStation) Operators(ctx context.Context, sess *operator.Session) ([]store.OperatorInfo, error) {
	return st.S.Operators(ctx, sess)
}

// AddOperator creates an account.
func (st *StoreStation) AddOperator(ctx context.Context, sess *operator.Session, name string, role operator.Role, password string) error {
	_, err := st.S.AddOperator(ctx, sess, name, role, password)
	return err
}

// MinMeasured is how many enrollments with captures the station needs before
// Disk measures the size of one from the database file.
const MinMeasured = 10

// Disk measures the data folder's free space and the average size of one
// enrollment: the database file (with its WAL) over the enrollments holding
// captures once there are MinMeasured of them, else AssumedEnrollmentSize.
// The file also holds master data and the audit log, so the measured
// figure errs high and the forecast low, the safe side.
func (st *StoreStation) Disk(ctx context.Context) (DiskInfo, error) {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(st.dataDir, &fs); err != nil {
		return DiskInfo{}, fmt.Errorf("free disk of %s: %w", st.dataDir, err)
	}
	d := DiskInfo{Free: fs.Bavail * uint64(fs.Bsize), PerEnrollment: AssumedEnrollmentSize}
	es, err := st.S.Enrollments(ctx, st.S.SystemSession("dashboard"), "")
	if err != nil {
		return d, fmt.Errorf("free disk: %w", err)
	}
	n := 0
	for _, e := range es {
		if e.Captures > 0 {
			n++
		}
	}
	if n < MinMeasured {
		return d, nil
	}
	var size int64
	for _, suffix := range []string{"", "-wal"} {
		fi, err := os.Stat(st.S.Path() + suffix)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return d, fmt.Errorf("free disk: %w", err)
		}
		if err == nil {
			size += fi.Size()
		}
	}
	if per := uint64(size) / uint64(n); per > 0 {
		d.PerEnrollment, d.Measured = per, true
	}
	return d, nil
}
