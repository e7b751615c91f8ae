package receipt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// ErrNoPrinter says the station has no CUPS client (lp) to print with.
var ErrNoPrinter = errors.New("no print command (lp) on this station")

// CanPrint reports whether the station has lp to print with.
func CanPrint() bool {
	_, err := exec.LookPath("lp")
	return err == nil
}

// Print sends a rendered receipt to the default printer through CUPS's lp,
// on its standard input (no copy is left on disk). It returns ErrNoPrinter
// when lp is not installed, and lp's own message when it refuses.
func Print(ctx context.Context, pdf []byte) error {
	lp, err := exec.LookPath("lp")
	if err != nil {
		return ErrNoPrinter
	}
	cmd := exec.CommandContext(ctx, lp, "-t", "tanda-terima-ktp-el", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("print receipt: lp: %w: %s", err, strings.TrimSpace(out.String()))
	}
	return nil
}
