// Package ui holds the station's Fyne screens, one file per screen, over
// narrow interfaces of enroll, device and sync. Texts go through Fyne's lang
// package: Bahasa Indonesia first, English second.
package ui

import (
	"embed"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2/lang"
)

//go:embed translations
var translations embed.FS

// LoadTranslations registers the Indonesian and English texts with Fyne:
// every "[area.]id.json" and "[area.]en.json" file under translations/.
func LoadTranslations() error {
	if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	return nil
}

// DisplayAvailable reports whether a graphical display is reachable, so the
// app can say how to run under Xvfb instead of panicking inside GLFW.
func DisplayAvailable() bool {
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

// DefaultToIndonesian makes Bahasa Indonesia the language when the
// environment names none (or only the C/POSIX locale): the station speaks
// Indonesian first. LANGUAGE=en switches to English.
func DefaultToIndonesian() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	switch l := os.Getenv("LC_ALL") + os.Getenv("LANG"); {
	case l == "", strings.HasPrefix(l, "C"), strings.HasPrefix(l, "POSIX"):
		os.Setenv("LANGUAGE", "id")
		os.Setenv("LANG", "id_ID.UTF-8")
	}
}
