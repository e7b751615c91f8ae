// Package device defines one interface per capture modality (FingerScanner,
// IrisCamera, FaceCamera, SignaturePad, each also a Device with Info,
// SelfTest and Close), the typed errors every driver shares (ErrNoFinger,
// ErrPoorQuality with a QualityError reason, ErrTimeout, ErrSensorFault,
// ErrDisconnected, ErrProtocol with a ProtocolError carrying the offending
// bytes, ErrBusy, plus ErrUnsupported and ErrCancelled), and the signature
// session (clear, accept, cancel) built on any pad.
//
// Below it:
//
//	transport/   the only importer of go.bug.st/serial and gousb: Port (serial
//	             byte stream), USBDevice/USBHost (control, bulk, interrupt)
//	wire/        framed reads with resync and deadlines; Link, the shared
//	             lazy-connect / busy / reconnect bookkeeping of serial drivers
//	discovery/   polling hot-plug registry (attach/detach events)
//	quality/     the cheap image-quality proxy drivers gate captures with
//	catalog/     serial drivers by name (rekamctl --port --driver)
//	r30x/ gt511/ vcom5s/ wacomstu/ isdv4/ iddk/ v4l2/   one folder per wire
//	             protocol: codec (shared with simulators/) + driver
//
// Every call takes a context and returns by its deadline; a driver that
// loses its device returns ErrDisconnected and reconnects on the next call.
package device
