package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// goOperators shows the admin's account list and the form to add one.
func (a *App) goOperators() {
	if a.sess == nil {
		return
	}
	if !a.can(operator.OperatorManage) {
		a.showError(operator.ErrForbidden)
		return
	}
	var ops []store.OperatorInfo
	var fp *fingerPanel
	list := widget.NewList(func() int { return len(ops) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			op := ops[i]
			s := fmt.Sprintf("%s — %s", op.Name, roleLabel(op.Role))
			if op.Locked {
				s += " — " + lang.L("operators.locked")
			}
			o.(*widget.Label).SetText(s + fp.mark(op.Name))
		})
	msg := widget.NewLabel("")
	sess := a.sess
	fp = a.newFingerPanel(sess, list.Refresh)
	list.OnSelected = func(i widget.ListItemID) { fp.selectAccount(ops[i].Name) }
	reload := func() {
		var got []store.OperatorInfo
		a.async(func() error {
			var err error
			got, err = a.st.Operators(a.ctx, sess)
			return err
		}, func(err error) {
			if err != nil {
				msg.SetText(errorText(err))
				return
			}
			ops = got
			list.Refresh()
			fp.load()
		})
	}
	name := a.entry()
	roles := make([]string, 0, len(operator.AccountRoles))
	byLabel := map[string]operator.Role{}
	for _, r := range operator.AccountRoles {
		roles = append(roles, roleLabel(r))
		byLabel[roleLabel(r)] = r
	}
	role := widget.NewSelect(roles, nil)
	role.SetSelected(roleLabel(operator.RoleOperator))
	pw, pw2 := a.passwordEntry(), a.passwordEntry()
	add := func() {
		if pw.Text != pw2.Text {
			msg.SetText(lang.L("setup.password_mismatch"))
			return
		}
		n, r, p := strings.TrimSpace(name.Text), byLabel[role.Selected], pw.Text
		a.async(func() error { return a.st.AddOperator(a.ctx, sess, n, r, p) }, func(err error) {
			if err != nil {
				msg.SetText(errorText(err))
				return
			}
			msg.SetText(lang.X("operators.added", "Account {{.Name}} added.", map[string]any{"Name": n}))
			name.SetText("")
			pw.SetText("")
			pw2.SetText("")
			reload()
		})
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("login.name"), name),
		widget.NewFormItem(lang.L("operators.role"), role),
		widget.NewFormItem(lang.L("setup.password"), pw),
		widget.NewFormItem(lang.L("setup.password2"), pw2),
	)
	addBtn := widget.NewButton(lang.L("operators.add"), add)
	addBtn.Importance = widget.HighImportance
	right := widget.NewCard(lang.L("operators.add"), "", container.NewVBox(form, addBtn, msg, fp.content()))
	top := widget.NewLabelWithStyle(lang.L("operators.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	a.show("operators", container.NewPadded(container.NewBorder(top, nil, nil, nil, container.NewGridWithColumns(2, list, right))),
		actions{next: add, capture: reload})
	a.w.Canvas().Focus(name)
	reload()
}
