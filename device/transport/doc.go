// Package transport is the only package that touches the serial and USB
// stacks (go.bug.st/serial and github.com/google/gousb). It exposes small
// interfaces in the periph.io conn style — a byte stream Port for serial
// devices and a USBDevice with control, bulk and interrupt transfers — so
// drivers can be tested against in-memory pipes, ptys and an in-process USB
// fake, and it maps stack errors onto the device package's typed errors.
package transport
