package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/nik"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/siak"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// codeSelect is a Select over one SIAK code list.
type codeSelect struct {
	sel   *widget.Select
	codes map[string]int
	names map[int]string
}

func newCodeSelect(rows []siak.Row, onChange func()) *codeSelect {
	c := &codeSelect{codes: map[string]int{}, names: map[int]string{}}
	opts := make([]string, len(rows))
	for i, r := range rows {
		opts[i] = r.Name
		c.codes[r.Name] = r.Code
		c.names[r.Code] = r.Name
	}
	c.sel = widget.NewSelect(opts, func(string) { onChange() })
	c.sel.PlaceHolder = lang.L("form.choose")
	return c
}

func (c *codeSelect) code() int { return c.codes[c.sel.Selected] }

func (c *codeSelect) set(code int) {
	if n, ok := c.names[code]; ok {
		c.sel.SetSelected(n)
	} else {
		c.sel.ClearSelected()
	}
}

// biodataForm is the NIK call-up and the F-1.01 biodata form.
type biodataForm struct {
	f                                *enrollFlow
	nik, kk, name, birthPlace, birth *widget.Entry
	motherName, motherNIK            *widget.Entry
	fatherName, fatherNIK            *widget.Entry
	address, rt, rw, desa            *widget.Entry
	sex, blood, religion, marital    *codeSelect
	relation, disability, education  *codeSelect
	occupation, citizenship          *codeSelect
	cascade                          *regionCascade
	source, problems                 *widget.Label
	problemBox                       *fyne.Container
	lookup                           *widget.Button
}

// biodataStep builds the NIK call-up and biodata form.
func (f *enrollFlow) biodataStep() stepView {
	b := &biodataForm{f: f}
	f.bio = b
	touch := func() { f.a.touch() }
	entry := f.a.entry
	b.nik, b.kk, b.name, b.birthPlace, b.birth = entry(), entry(), entry(), entry(), entry()
	b.motherName, b.motherNIK, b.fatherName, b.fatherNIK = entry(), entry(), entry(), entry()
	b.address, b.rt, b.rw, b.desa = entry(), entry(), entry(), entry()
	b.nik.SetPlaceHolder(lang.L("biodata.nik_hint"))
	b.birth.SetPlaceHolder(lang.L("biodata.date_hint"))
	b.desa.SetPlaceHolder("32.11.01.2001")
	b.nik.OnSubmitted = func(string) { b.callUp() }
	b.sex = newCodeSelect(siak.JenisKelamins.Rows(), touch)
	b.blood = newCodeSelect(siak.GolonganDarahs.Rows(), touch)
	b.religion = newCodeSelect(siak.Agamas.Rows(), touch)
	b.marital = newCodeSelect(siak.StatusPerkawinans.Rows(), touch)
	b.relation = newCodeSelect(siak.HubunganKeluargas.Rows(), touch)
	b.disability = newCodeSelect(siak.PenyandangCacats.Rows(), touch)
	b.education = newCodeSelect(siak.Pendidikans.Rows(), touch)
	b.occupation = newCodeSelect(siak.Pekerjaans.Rows(), touch)
	b.citizenship = newCodeSelect(siak.Kewarganegaraans.Rows(), touch)
	b.cascade = newRegionCascade(f.a, 4, func(code string) { b.desa.SetText(code) })
	b.source = widget.NewLabel(lang.L("biodata.call_up_hint"))
	b.source.Wrapping = fyne.TextWrapWord
	b.problemBox = container.NewVBox()
	b.lookup = widget.NewButton(lang.L("biodata.call_up"), b.callUp)

	left := widget.NewForm(
		widget.NewFormItem(lang.L("field.kk"), b.kk),
		widget.NewFormItem(lang.L("field.name"), b.name),
		widget.NewFormItem(lang.L("field.birth_place"), b.birthPlace),
		widget.NewFormItem(lang.L("field.birth_date"), b.birth),
		widget.NewFormItem(lang.L("field.sex"), b.sex.sel),
		widget.NewFormItem(lang.L("field.blood_type"), b.blood.sel),
		widget.NewFormItem(lang.L("field.religion"), b.religion.sel),
		widget.NewFormItem(lang.L("field.marital"), b.marital.sel),
		widget.NewFormItem(lang.L("field.family_relation"), b.relation.sel),
		widget.NewFormItem(lang.L("field.disability"), b.disability.sel),
		widget.NewFormItem(lang.L("field.education"), b.education.sel),
	)
	right := widget.NewForm(
		widget.NewFormItem(lang.L("field.occupation"), b.occupation.sel),
		widget.NewFormItem(lang.L("field.citizenship"), b.citizenship.sel),
		widget.NewFormItem(lang.L("field.mother_name"), b.motherName),
		widget.NewFormItem(lang.L("field.mother_nik"), b.motherNIK),
		widget.NewFormItem(lang.L("field.father_name"), b.fatherName),
		widget.NewFormItem(lang.L("field.father_nik"), b.fatherNIK),
		widget.NewFormItem(lang.L("field.address"), b.address),
		widget.NewFormItem(lang.L("field.rt_rw"), container.NewGridWithColumns(2, b.rt, b.rw)),
		widget.NewFormItem(lang.L("field.region"), b.cascade.box),
		widget.NewFormItem(lang.L("field.desa_code"), b.desa),
	)
	nikRow := container.NewBorder(nil, nil, widget.NewLabel(lang.L("field.nik")), b.lookup, b.nik)
	content := container.NewBorder(container.NewVBox(nikRow, b.source), nil, nil, nil,
		container.NewVScroll(container.NewVBox(container.NewGridWithColumns(2, left, right), b.problemBox)))
	b.cascade.load(0, "")
	if f.residentID != 0 || f.resident.NIK != "" {
		b.fill(f.resident)
		if f.residentID != 0 {
			b.source.SetText(lang.L("biodata.from_store"))
		}
	}
	if f.enrollmentID != 0 {
		b.nik.Disable()
		b.lookup.Disable()
	}
	return stepView{content: content, acts: actions{next: b.next, capture: b.callUp}, focus: b.nik}
}

// callUp looks the NIK up in the station's store: a stored resident fills
// the form; an unknown NIK leaves the form for typing.
func (b *biodataForm) callUp() {
	f := b.f
	n := nik.Normalize(b.nik.Text)
	if len(n) != 16 {
		b.validate(nil)
		return
	}
	sess := f.a.sess
	var rec store.ResidentRecord
	var earlier []store.Enrollment
	f.a.async(func() error {
		var err error
		if rec, err = f.a.st.ResidentByNIK(f.a.ctx, sess, n); err != nil {
			return err
		}
		earlier, err = liveEnrollments(f.a, sess, rec.ID)
		return err
	}, func(err error) {
		defer f.a.event(eventCalledUp, "")
		switch {
		case errors.Is(err, store.ErrNotFound):
			f.residentID = 0
			b.source.SetText(lang.L("biodata.not_found"))
			b.validate(nil)
		case err != nil:
			if !f.a.sessionLost(err) {
				b.source.SetText(errorText(err))
			}
		default:
			f.residentID, f.resident = rec.ID, rec.Resident
			b.fill(rec.Resident)
			text := lang.L("biodata.from_store")
			if len(earlier) > 0 {
				e := earlier[len(earlier)-1]
				text += "\n" + lang.X("biodata.recorded_before", "This NIK already has enrollment #{{.ID}} ({{.State}}).",
					map[string]any{"ID": e.ID, "State": stateLabel(e.State)})
			}
			b.source.SetText(text)
			b.validate(nil)
		}
	})
}

// liveEnrollments returns a resident's enrollments that are neither voided
// nor rejected (runs off the UI thread).
func liveEnrollments(a *App, sess *operator.Session, residentID int64) ([]store.Enrollment, error) {
	es, err := a.st.Enrollments(a.ctx, sess, "")
	if err != nil {
		return nil, err
	}
	var out []store.Enrollment
	for _, e := range es {
		if e.ResidentID == residentID && e.State != enroll.Voided && e.State != enroll.Rejected {
			out = append(out, e)
		}
	}
	return out, nil
}

// fill puts a resident's biodata into the form.
func (b *biodataForm) fill(r enroll.Resident) {
	b.nik.SetText(r.NIK)
	b.kk.SetText(r.KK)
	b.name.SetText(r.Name)
	b.birthPlace.SetText(r.BirthPlace)
	b.birth.SetText(r.BirthDate)
	b.sex.set(r.Sex)
	b.blood.set(r.BloodType)
	b.religion.set(r.Religion)
	b.marital.set(r.Marital)
	b.relation.set(r.FamilyRelation)
	b.disability.set(r.Disability)
	b.education.set(r.Education)
	b.occupation.set(r.Occupation)
	b.citizenship.set(r.Citizenship)
	b.motherName.SetText(r.MotherName)
	b.motherNIK.SetText(r.MotherNIK)
	b.fatherName.SetText(r.FatherName)
	b.fatherNIK.SetText(r.FatherNIK)
	b.address.SetText(r.Address)
	b.rt.SetText(r.RT)
	b.rw.SetText(r.RW)
	b.desa.SetText(r.DesaCode)
	if r.DesaCode != "" {
		b.cascade.selectCode(r.DesaCode)
	}
}

// resident reads the form.
func (b *biodataForm) resident() enroll.Resident {
	up := func(e *widget.Entry) string { return strings.ToUpper(strings.TrimSpace(e.Text)) }
	return enroll.Resident{
		NIK: nik.Normalize(b.nik.Text), KK: nik.Normalize(b.kk.Text), Name: up(b.name),
		BirthPlace: up(b.birthPlace), BirthDate: strings.TrimSpace(b.birth.Text),
		Sex: b.sex.code(), BloodType: b.blood.code(), Religion: b.religion.code(), Marital: b.marital.code(),
		FamilyRelation: b.relation.code(), Disability: b.disability.code(), Education: b.education.code(),
		Occupation: b.occupation.code(), Citizenship: b.citizenship.code(),
		MotherName: up(b.motherName), MotherNIK: nik.Normalize(b.motherNIK.Text),
		FatherName: up(b.fatherName), FatherNIK: nik.Normalize(b.fatherNIK.Text),
		Address: up(b.address), RT: strings.TrimSpace(b.rt.Text), RW: strings.TrimSpace(b.rw.Text),
		DesaCode: strings.TrimSpace(b.desa.Text),
	}
}

// validate checks the form in the background (region lookups hit the
// store) and shows every problem; then calls ok when nothing blocks.
func (b *biodataForm) validate(ok func(enroll.Resident)) {
	f := b.f
	r := b.resident()
	var ps enroll.Problems
	f.a.async(func() error {
		ps = enroll.ValidateResident(r, enroll.ValidateOptions{Now: f.a.now, Regions: f.a.st.NIKRegions(f.a.ctx)})
		return nil
	}, func(error) {
		b.showProblems(ps)
		if ok != nil && !ps.HasErrors() {
			ok(r)
		}
	})
}

// showProblems lists validation problems: errors red, warnings amber.
func (b *biodataForm) showProblems(ps enroll.Problems) {
	b.problemBox.Objects = nil
	english := lang.L("lang.code") == "en"
	for _, p := range ps {
		text := p.MessageID
		if english {
			text = p.MessageEN
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		if p.Severity == enroll.SeverityWarning {
			l.Importance = widget.WarningImportance
			l.SetText(lang.L("biodata.warning") + " " + text)
		}
		b.problemBox.Add(l)
	}
	b.problemBox.Refresh()
}

// next validates, stores the biodata and opens the enrollment, then moves
// to the fingers. Warnings do not block; errors do.
func (b *biodataForm) next() {
	f := b.f
	b.validate(func(r enroll.Resident) {
		sess := f.a.sess
		id, eid := f.residentID, f.enrollmentID
		f.a.async(func() error {
			var err error
			if id == 0 {
				// Typed without a call-up: a stored NIK is updated, not added twice.
				if rec, err := f.a.st.ResidentByNIK(f.a.ctx, sess, r.NIK); err == nil {
					id = rec.ID
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
			if id, err = f.a.st.SaveResident(f.a.ctx, sess, id, r); err != nil {
				return err
			}
			if eid == 0 {
				eid, err = f.a.st.StartEnrollment(f.a.ctx, sess, id)
			}
			return err
		}, func(err error) {
			if err != nil {
				if !f.a.sessionLost(err) {
					b.source.SetText(errorText(err))
				}
				return
			}
			f.residentID, f.enrollmentID, f.resident = id, eid, r
			f.show(stepFingers)
		})
	})
}
