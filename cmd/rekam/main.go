// Command rekam is the KTP-el recording station's window: operators enroll
// residents, supervisors approve and adjudicate, technicians test devices.
package main

import (
	"flag"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/ui"
)

func main() {
	data := flag.String("data", os.Getenv("REKAM_HOME"), "station data folder")
	sim := flag.Bool("sim", false, "attach the simulated device set")
	flag.Parse()

	if !ui.DisplayAvailable() {
		fmt.Fprintln(os.Stderr, "rekam: no display (DISPLAY and WAYLAND_DISPLAY are unset).")
		fmt.Fprintln(os.Stderr, "Run it under a virtual display:  xvfb-run -a -s '-screen 0 1280x1024x24' rekam --sim")
		os.Exit(2)
	}
	ui.DefaultToIndonesian()
	if err := ui.LoadTranslations(); err != nil {
		fmt.Fprintln(os.Stderr, "rekam:", err)
		os.Exit(2)
	}
	a := app.NewWithID("id.go.rekam.station")
	w := a.NewWindow(lang.L("Rekam – Perekaman KTP-el"))
	w.SetContent(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Rekam – Perekaman KTP-el"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		widget.NewLabel(lang.L("Station data folder")+": "+*data),
		widget.NewCheck(lang.L("Simulated devices"), nil),
		widget.NewButton(lang.L("Quit"), a.Quit),
	))
	w.Resize(fyne.NewSize(1024, 720))
	w.ShowAndRun()
	_ = sim
}
