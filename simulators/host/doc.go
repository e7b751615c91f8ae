// Package host runs a device-side protocol engine behind a link a driver
// can open: an in-memory pipe (unit tests) or a pty that the driver opens
// with go.bug.st/serial exactly like /dev/ttyUSB0. It paces the device's
// bytes at the configured baud rate (a pty has no baud limit) and can
// unplug and replug the device.
package host
