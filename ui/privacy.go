package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// privacyStep is the privacy notice the resident must have heard before
// any personal data is taken (UU 27/2022).
func (f *enrollFlow) privacyStep() stepView {
	text := widget.NewLabel(lang.L("privacy.text"))
	text.Wrapping = fyne.TextWrapWord
	msg := widget.NewLabel("")
	msg.Importance = widget.DangerImportance
	check := widget.NewCheck(lang.L("privacy.consent"), func(b bool) { f.consent = b; f.a.touch() })
	check.SetChecked(f.consent)
	next := func() {
		if !f.consent {
			msg.SetText(lang.L("privacy.need_consent"))
			return
		}
		f.show(stepBiodata)
	}
	content := container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("privacy.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		text, check, msg))
	return stepView{content: content, acts: actions{next: next}, focus: check}
}
