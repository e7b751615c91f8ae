package ui

import (
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// idleCountdown is how long before the idle logout the countdown shows.
const idleCountdown = 30 * time.Second

// idleWatch is the countdown dialog before an idle logout.
type idleWatch struct {
	d     dialog.Dialog
	label *widget.Label
}

func (w *idleWatch) dismiss() {
	if w.d != nil {
		d := w.d
		w.d = nil
		d.Hide()
	}
}

// checkIdle shows the countdown in the last idleCountdown of the policy's
// idle timeout and logs out when it runs out. The enrollment in progress is
// already in the store, step by step, so the logout loses nothing: the next
// login offers to resume it.
func (a *App) checkIdle() {
	if a.sess == nil || a.st == nil {
		return
	}
	limit := a.st.Policy().IdleTimeout
	if limit <= 0 {
		return
	}
	left := limit - a.now().Sub(a.lastActive)
	if left <= 0 {
		a.logout(lang.L("login.idle_logout"))
		return
	}
	warn := idleCountdown
	if warn > limit/2 {
		warn = limit / 2
	}
	if left > warn {
		return
	}
	if a.idle == nil {
		a.idle = &idleWatch{}
	}
	text := lang.X("idle.countdown", "No activity: logging out in {{.S}} seconds. The enrollment in progress is saved.",
		map[string]any{"S": int((left + time.Second - 1) / time.Second)})
	if a.idle.d == nil {
		a.idle.label = widget.NewLabel(text)
		d := dialog.NewCustom(lang.L("idle.title"), lang.L("idle.stay"), a.idle.label, a.w)
		d.SetOnClosed(func() {
			if a.idle != nil && a.idle.d == d {
				a.idle.d = nil
				a.touch()
			}
		})
		a.idle.d = d
		d.Show()
		return
	}
	a.idle.label.SetText(text)
}

// IdleCountdownText returns the countdown's text while it shows ("" when
// it doesn't), for tests.
func (a *App) IdleCountdownText() string {
	if a.idle == nil || a.idle.d == nil {
		return ""
	}
	return a.idle.label.Text
}
