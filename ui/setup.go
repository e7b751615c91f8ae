package ui

import (
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/enroll/wilayah"
	"github.com/rekam-ktp/rekam/ui/port"
)

// setupScreen is the first-run screen: it creates the station when the
// data folder holds none.
type setupScreen struct {
	a                   *App
	station             *widget.Entry
	regionsFile         *widget.Entry
	kecamatan           *widget.Entry
	cascade             *regionCascade
	admin               *widget.Entry
	password, password2 *widget.Entry
	recovery, recovery2 *widget.Entry
	msg                 *widget.Label
	create              *widget.Button
	regions             []wilayah.Region
}

// showSetup shows the first-run setup.
func (a *App) showSetup() {
	s := &setupScreen{a: a}
	s.station = widget.NewEntry()
	s.station.SetPlaceHolder("3211-01")
	s.regionsFile = widget.NewEntry()
	s.regionsFile.SetPlaceHolder(lang.L("setup.regions_hint"))
	load := widget.NewButton(lang.L("setup.load_regions"), s.loadRegions)
	s.kecamatan = widget.NewEntry()
	s.kecamatan.SetPlaceHolder("32.11.01")
	s.cascade = newRegionCascade(a, 3, func(code string) { s.kecamatan.SetText(code) })
	s.cascade.box.Hide()
	s.admin = widget.NewEntry()
	s.admin.SetText("admin")
	s.password = widget.NewPasswordEntry()
	s.password2 = widget.NewPasswordEntry()
	s.recovery = widget.NewPasswordEntry()
	s.recovery2 = widget.NewPasswordEntry()
	s.msg = widget.NewLabel("")
	s.msg.Wrapping = fyne.TextWrapWord
	s.msg.Importance = widget.DangerImportance
	s.create = widget.NewButton(lang.L("setup.create"), s.submit)
	s.create.Importance = widget.HighImportance
	s.recovery2.OnSubmitted = func(string) { s.submit() }

	form := widget.NewForm(
		widget.NewFormItem(lang.L("setup.station_id"), s.station),
		widget.NewFormItem(lang.L("setup.regions_file"), container.NewBorder(nil, nil, nil, load, s.regionsFile)),
		widget.NewFormItem(lang.L("setup.kecamatan"), container.NewVBox(s.cascade.box, s.kecamatan)),
		widget.NewFormItem(lang.L("setup.admin"), s.admin),
		widget.NewFormItem(lang.L("setup.password"), s.password),
		widget.NewFormItem(lang.L("setup.password2"), s.password2),
		widget.NewFormItem(lang.L("setup.recovery"), s.recovery),
		widget.NewFormItem(lang.L("setup.recovery2"), s.recovery2),
	)
	intro := widget.NewLabel(lang.L("setup.intro"))
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("setup.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		intro, form, s.msg, container.NewHBox(s.create))
	a.show("setup", container.NewPadded(container.NewVScroll(content)), actions{next: s.submit})
	a.w.Canvas().Focus(s.station)
	// The set-up command fetches the region master data beside the data
	// folder: offer it at once.
	if found, _ := filepath.Glob(filepath.Join(a.opt.Launcher.DataDir, "masterdata", "*.tgz")); len(found) > 0 {
		s.regionsFile.SetText(found[len(found)-1])
		s.loadRegions()
	}
}

// loadRegions reads a region master-data file (CSV or the npm package) in
// the background and offers the kecamatan as a cascade.
func (s *setupScreen) loadRegions() {
	path := strings.TrimSpace(s.regionsFile.Text)
	if path == "" {
		return
	}
	var regs []wilayah.Region
	var ix *wilayah.Index
	s.msg.SetText(lang.L("setup.loading"))
	s.a.async(func() error {
		var err error
		if regs, err = wilayah.ReadRegionsFile(path); err != nil {
			return err
		}
		ix, err = wilayah.NewIndex(regs)
		return err
	}, func(err error) {
		if err != nil {
			s.msg.SetText(errorText(err))
			return
		}
		s.regions = regs
		s.msg.SetText(lang.X("setup.loaded", "{{.N}} regions loaded", map[string]any{"N": len(regs)}))
		s.cascade.source = func(parent string) ([]wilayah.Region, error) { return ix.Children(parent), nil }
		s.cascade.box.Show()
		s.cascade.load(0, "")
	})
}

// request collects the form, checking the repeated fields.
func (s *setupScreen) request() (port.SetupRequest, error) {
	if s.password.Text != s.password2.Text {
		return port.SetupRequest{}, errors.New(lang.L("setup.password_mismatch"))
	}
	if s.recovery.Text != s.recovery2.Text {
		return port.SetupRequest{}, errors.New(lang.L("setup.recovery_mismatch"))
	}
	req := port.SetupRequest{
		Station:  store.Station{ID: strings.TrimSpace(s.station.Text), Kecamatan: strings.TrimSpace(s.kecamatan.Text)},
		Admin:    strings.TrimSpace(s.admin.Text),
		Password: s.password.Text,
		Recovery: s.recovery.Text,
		Regions:  s.regions,
	}
	return req, req.Check()
}

// submit creates the station in the background, then shows the login.
func (s *setupScreen) submit() {
	req, err := s.request()
	if err != nil {
		s.msg.SetText(errorText(err))
		return
	}
	s.create.Disable()
	s.msg.SetText(lang.L("setup.creating"))
	s.a.async(func() error {
		st, err := s.a.opt.Launcher.Create(s.a.ctx, req)
		if err != nil {
			return err
		}
		s.a.setStation(st)
		return nil
	}, func(err error) {
		s.create.Enable()
		if err != nil {
			s.msg.SetText(errorText(err))
			return
		}
		s.a.showLogin(lang.L("setup.done"))
	})
}
