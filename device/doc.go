// Package device defines one interface per capture modality (finger scanner,
// iris camera, face camera, signature pad), the typed errors every driver
// shares, and device discovery. Transports live in device/transport; each
// wire protocol has its own driver folder with its codec.
package device
