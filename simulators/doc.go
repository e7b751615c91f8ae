// Package simulators holds device-side protocol engines that speak each
// driver's own bytes (over in-memory pipes, ptys or a fake USB transport) and
// synthetic biometric generators with ground truth.
package simulators
