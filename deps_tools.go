//go:build tools

// Package rekam pins the modules the station is built from, so that
// `go mod tidy` keeps them while the packages that import them are written.
package rekam

import (
	_ "fyne.io/fyne/v2/app"
	_ "github.com/disintegration/imaging"
	_ "github.com/esimov/pigo/core"
	_ "github.com/google/gousb"
	_ "github.com/mattn/go-sqlite3"
	_ "go.bug.st/serial"
	_ "golang.org/x/crypto/argon2"
)
