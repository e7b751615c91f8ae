package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// command is one keyboard command: its shortcut, its menu and its label.
type command struct {
	menu  string // "station", "enroll", "help"
	label string
	key   fyne.KeyName
	mod   fyne.KeyModifier
	run   func(a *App)
}

// commands lists every shortcut; the main menu, the canvas shortcuts and
// the help overlay are all built from it. The shortcuts sit on main-menu
// items because the desktop driver hands a focused Entry every other
// shortcut first.
func commands() []command {
	ctrl := fyne.KeyModifierShortcutDefault
	return []command{
		{"station", lang.L("cmd.dashboard"), fyne.KeyD, ctrl, func(a *App) { a.goDashboard() }},
		{"station", lang.L("cmd.new"), fyne.KeyN, ctrl, func(a *App) { a.startEnrollment() }},
		{"station", lang.L("cmd.approvals"), fyne.KeyP, ctrl, func(a *App) { a.goApprovals() }},
		{"station", lang.L("cmd.adjudication"), fyne.KeyJ, ctrl, func(a *App) { a.goAdjudication() }},
		{"station", lang.L("cmd.operators"), fyne.KeyO, ctrl, func(a *App) { a.goOperators() }},
		{"station", lang.L("cmd.technician"), fyne.KeyT, ctrl, func(a *App) { a.goTechnician() }},
		{"station", lang.L("cmd.settings"), fyne.KeyComma, ctrl, func(a *App) { a.goSettings() }},
		{"station", lang.L("cmd.sync"), fyne.KeyK, ctrl, func(a *App) { a.goSync() }},
		{"station", lang.L("cmd.logout"), fyne.KeyL, ctrl | fyne.KeyModifierShift, func(a *App) { a.userLogout() }},
		{"enroll", lang.L("cmd.next"), fyne.KeyL, ctrl, func(a *App) { a.act(a.acts.next) }},
		{"enroll", lang.L("cmd.back"), fyne.KeyB, ctrl, func(a *App) { a.act(a.acts.back) }},
		{"enroll", lang.L("cmd.capture"), fyne.KeyR, ctrl, func(a *App) { a.act(a.acts.capture) }},
		{"enroll", lang.L("cmd.exception"), fyne.KeyE, ctrl, func(a *App) { a.act(a.acts.exception) }},
		{"enroll", lang.L("cmd.force"), fyne.KeyF, ctrl, func(a *App) { a.act(a.acts.force) }},
		{"help", lang.L("cmd.help"), fyne.KeyH, ctrl, func(a *App) { a.showHelp() }},
	}
}

// installShortcuts puts the commands in the main menu and on the canvas.
func (a *App) installShortcuts() {
	menus := map[string]*fyne.Menu{
		"station": fyne.NewMenu(lang.L("menu.station")),
		"enroll":  fyne.NewMenu(lang.L("menu.enroll")),
		"help":    fyne.NewMenu(lang.L("menu.help")),
	}
	for _, c := range commands() {
		sc := &desktop.CustomShortcut{KeyName: c.key, Modifier: c.mod}
		item := fyne.NewMenuItem(c.label, func() { c.run(a) })
		item.Shortcut = sc
		menus[c.menu].Items = append(menus[c.menu].Items, item)
		a.w.Canvas().AddShortcut(sc, func(fyne.Shortcut) { c.run(a) })
	}
	a.w.SetMainMenu(fyne.NewMainMenu(menus["station"], menus["enroll"], menus["help"]))
}

// shortcutText spells a shortcut for the help overlay.
func shortcutText(c command) string {
	name := (&desktop.CustomShortcut{KeyName: c.key, Modifier: c.mod}).ShortcutName()
	return strings.ReplaceAll(strings.TrimPrefix(name, "CustomDesktop:"), "Control+", "Ctrl+")
}

// showHelp shows the overlay listing every shortcut; pressing its shortcut
// again closes it (dialogs take no Escape in Fyne 2.7).
func (a *App) showHelp() {
	if a.help != nil {
		a.help.Hide()
		a.help = nil
		return
	}
	rows := container.NewGridWithColumns(2)
	for _, c := range commands() {
		rows.Add(widget.NewLabelWithStyle(shortcutText(c), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
		rows.Add(widget.NewLabel(c.label))
	}
	rows.Add(widget.NewLabelWithStyle("Tab / Shift+Tab", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
	rows.Add(widget.NewLabel(lang.L("help.tab")))
	rows.Add(widget.NewLabelWithStyle("Space / Enter", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
	rows.Add(widget.NewLabel(lang.L("help.space")))
	d := dialog.NewCustom(lang.L("help.title"), lang.L("button.close"), rows, a.w)
	d.SetOnClosed(func() {
		if a.help == d {
			a.help = nil
		}
	})
	a.help = d
	d.Show()
}
