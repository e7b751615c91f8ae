// Package simulators holds device-side protocol engines that speak each
// driver's own bytes, and where they get biometric samples from.
//
//	host/      runs an engine behind an in-memory pipe or a pty (opened by the
//	           driver with go.bug.st/serial), paces bytes at the baud rate,
//	           unplugs and replugs
//	usbfake/   an in-process USB bus implementing transport.USBHost
//	fault/     scripted faults; control/ serves them on loopback HTTP
//	biosrc/    the sample Source interface (shaped like simulators/synth) and
//	           a deterministic test pattern used until synth is wired in
//	r30x/ gt511/ isdv4/ vcom5s/ wacomstu/ iddk/   one engine per protocol
//	simset/    the whole simulated station (rekam-sim, rekamctl --sim)
//	simtest/   the fault conformance suite finger drivers run
package simulators
