// Package operator holds who may do what at a station: the roles, the
// permission table, password hashing (argon2id), the lockout and idle-timeout
// policy, and the session an authenticated operator acts through.
package operator

import (
	"fmt"

	"github.com/rekam-ktp/rekam/enroll"
)

// Role is an account's role at the station.
type Role string

// The account roles. System is not an account role: it is the station's own
// unattended jobs (the nightly sync), which never log in with a password.
const (
	RoleOperator   Role = "operator"
	RoleSupervisor Role = "supervisor"
	RoleTechnician Role = "technician"
	RoleAuditor    Role = "auditor"
	RoleAdmin      Role = "admin"
	RoleSystem     Role = "system"
)

// AccountRoles are the roles an operator account can have.
var AccountRoles = []Role{RoleOperator, RoleSupervisor, RoleTechnician, RoleAuditor, RoleAdmin}

// ParseRole returns the account role named s.
func ParseRole(s string) (Role, error) {
	for _, r := range AccountRoles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (want operator, supervisor, technician, auditor or admin)", s)
}

// Action is something a role may be allowed to do.
type Action string

// The actions the permission table knows.
const (
	// ResidentRead reads one resident's biodata.
	ResidentRead Action = "resident.read"
	// ResidentWrite adds or changes biodata.
	ResidentWrite Action = "resident.write"
	// ResidentListFull lists residents with unmasked NIKs.
	ResidentListFull Action = "resident.list.full"
	// BiometricWrite creates enrollments, saves captures, moves a draft
	// through capture and review, and voids drafts.
	BiometricWrite Action = "biometric.write"
	// BiometricRead reads captured biometric data.
	BiometricRead Action = "biometric.read"
	// EnrollmentDecide approves or rejects an enrollment.
	EnrollmentDecide Action = "enrollment.decide"
	// EnrollmentSync seals, queues and records the centre's outcomes.
	EnrollmentSync Action = "enrollment.sync"
	// OperatorManage adds, lists and locks accounts.
	OperatorManage Action = "operator.manage"
	// AuditRead reads and verifies the audit log.
	AuditRead Action = "audit.read"
	// DeviceUse tests, diagnoses and configures capture devices.
	DeviceUse Action = "device.use"
	// DeviceService opens the technician's bench: every device's info,
	// self-test, live preview and capture to file, and the simulator's
	// scripted faults.
	DeviceService Action = "device.service"
	// StationConfigure changes the station's settings (quality gates,
	// attempts, chip fingers, sync window, idle timeout).
	StationConfigure Action = "station.configure"
	// StationBackup writes and restores encrypted backups.
	StationBackup Action = "station.backup"
	// MasterDataImport imports region and code master data.
	MasterDataImport Action = "masterdata.import"
)

// permissions is the role → allowed actions table. A technician never
// touches personal data; an auditor only reads the audit log; the admin
// manages the station but does not read residents (separation of duties).
var permissions = map[Role][]Action{
	RoleOperator:   {ResidentRead, ResidentWrite, BiometricWrite, BiometricRead, DeviceUse},
	RoleSupervisor: {ResidentRead, ResidentWrite, ResidentListFull, BiometricWrite, BiometricRead, EnrollmentDecide, EnrollmentSync, DeviceUse},
	RoleTechnician: {DeviceUse, DeviceService, MasterDataImport},
	RoleAuditor:    {AuditRead},
	RoleAdmin:      {OperatorManage, AuditRead, StationBackup, MasterDataImport, DeviceUse, DeviceService, StationConfigure},
	RoleSystem:     {ResidentRead, BiometricRead, EnrollmentSync},
}

// Allowed reports whether role may perform action.
func Allowed(role Role, action Action) bool {
	for _, a := range permissions[role] {
		if a == action {
			return true
		}
	}
	return false
}

// Personal reports whether an action touches personal data (biodata or
// biometrics); such actions are audited on every use.
func Personal(a Action) bool {
	switch a {
	case ResidentRead, ResidentWrite, ResidentListFull, BiometricWrite, BiometricRead, EnrollmentDecide, EnrollmentSync:
		return true
	}
	return false
}

// ForTransition returns the action needed to move an enrollment into state
// to: deciding needs a supervisor, everything from sealing on is sync work,
// the rest is capture work.
func ForTransition(to enroll.State) Action {
	switch to {
	case enroll.Approved, enroll.Rejected:
		return EnrollmentDecide
	case enroll.Draft, enroll.BioCaptured, enroll.Review, enroll.Voided:
		return BiometricWrite
	}
	return EnrollmentSync
}
