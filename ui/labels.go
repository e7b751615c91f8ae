package ui

import (
	"fyne.io/fyne/v2/lang"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/ui/port"
)

// stateLabel names an enrollment state for the operator.
func stateLabel(s enroll.State) string {
	switch s {
	case enroll.Draft:
		return lang.L("state.draft")
	case enroll.BioCaptured:
		return lang.L("state.bio_captured")
	case enroll.Review:
		return lang.L("state.review")
	case enroll.Approved:
		return lang.L("state.approved")
	case enroll.Rejected:
		return lang.L("state.rejected")
	case enroll.Processing:
		return lang.L("state.processing")
	case enroll.Voided:
		return lang.L("state.voided")
	case enroll.SentForEnrollment:
		return lang.L("sync.state.sent")
	case enroll.ReceivedAtCentral:
		return lang.L("sync.state.received")
	case enroll.PrintReadyRecord:
		return lang.L("sync.state.print_ready")
	case enroll.DuplicateRecord:
		return lang.L("sync.state.duplicate")
	case enroll.AdjudicateRecord:
		return lang.L("sync.state.adjudicate")
	case enroll.EnrollFailureAtCentral:
		return lang.L("sync.state.enroll_failure")
	case enroll.SearchFailureAtCentral:
		return lang.L("sync.state.search_failure")
	case enroll.SentForCardPrinting:
		return lang.L("state.sent_for_card_printing")
	case enroll.CardPrinted:
		return lang.L("state.card_printed")
	case enroll.CardShipped:
		return lang.L("state.card_shipped")
	case enroll.CardIssued:
		return lang.L("state.card_issued")
	}
	return string(s)
}

// deviceStateLabel names a device light.
func deviceStateLabel(s port.DeviceState) string {
	switch s {
	case port.DeviceReady:
		return lang.L("device.ready")
	case port.DeviceBusy:
		return lang.L("device.busy")
	case port.DeviceFault:
		return lang.L("device.fault")
	}
	return lang.L("device.missing")
}

// roleLabel names a role.
func roleLabel(r operator.Role) string {
	switch r {
	case operator.RoleOperator:
		return lang.L("role.operator")
	case operator.RoleSupervisor:
		return lang.L("role.supervisor")
	case operator.RoleTechnician:
		return lang.L("role.technician")
	case operator.RoleAuditor:
		return lang.L("role.auditor")
	case operator.RoleAdmin:
		return lang.L("role.admin")
	}
	return string(r)
}

// fingerLabel names a finger position.
func fingerLabel(f port.Finger) string {
	switch f {
	case 1:
		return lang.L("finger.r_thumb")
	case 2:
		return lang.L("finger.r_index")
	case 3:
		return lang.L("finger.r_middle")
	case 4:
		return lang.L("finger.r_ring")
	case 5:
		return lang.L("finger.r_little")
	case 6:
		return lang.L("finger.l_thumb")
	case 7:
		return lang.L("finger.l_index")
	case 8:
		return lang.L("finger.l_middle")
	case 9:
		return lang.L("finger.l_ring")
	case 10:
		return lang.L("finger.l_little")
	}
	return "?"
}

// eyeLabel names an eye.
func eyeLabel(e port.Eye) string {
	if e == port.LeftEye {
		return lang.L("iris.left")
	}
	return lang.L("iris.right")
}

// exceptionLabel names a capture exception reason.
func exceptionLabel(code string) string {
	switch code {
	case "missing":
		return lang.L("exception.missing")
	case "amputated":
		return lang.L("exception.amputated")
	case "bandaged":
		return lang.L("exception.bandaged")
	case "blind":
		return lang.L("exception.blind")
	case forcedException:
		return lang.L("exception.forced")
	}
	return code
}

// stepLabel names a capture step ("finger.03", "iris.left", "face").
func stepLabel(step string) string {
	for _, f := range port.Fingers {
		if f.Step() == step {
			return fingerLabel(f)
		}
	}
	for _, e := range port.Eyes {
		if e.Step() == step {
			return eyeLabel(e)
		}
	}
	switch step {
	case port.StepFace:
		return lang.L("face.label")
	case port.StepSignature:
		return lang.L("signature.label")
	}
	return step
}
