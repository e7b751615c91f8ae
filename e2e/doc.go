// Package e2e holds the station's end-to-end test: the real rekam window
// under the test's X display (Xvfb in CI) with the simulated device set
// (serial devices on ptys), driven by the keyboard through xdotool through
// a whole enrollment, approved by a supervisor, sealed, and synced by
// rekamctl to a real rekam-pusat on loopback. It saves a screenshot of
// each step ($REKAM_E2E_SHOTS, else a temp folder); scripts/rekam-screenshots.sh
// runs it to refresh the README's pictures.
//
// It lives apart from cmd/rekam because it tests four programs together
// (rekam, rekamctl, rekam-pusat and scripts/mkstation), builds them all,
// and takes tens of seconds: cmd/rekam's own tests stay quick. The package
// has no code outside its tests.
package e2e
