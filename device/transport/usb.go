package transport

import (
	"context"
	"fmt"
)

// USBDesc describes a USB device without opening it.
type USBDesc struct {
	Bus, Address int
	Port         string // physical port path, e.g. "1-3.2" (stable across replug)
	VID, PID     uint16
	Class        uint8
}

// ID is a key stable across replug on the same physical port.
func (d USBDesc) ID() string {
	return fmt.Sprintf("usb:%04x:%04x@%s", d.VID, d.PID, d.Port)
}

// USBDevice is an opened USB device (its first configuration, interface 0
// claimed). Endpoint addresses carry the direction bit (0x81 = EP1 IN).
// Read picks bulk or interrupt from the endpoint descriptor. Every call
// honours ctx's deadline; errors wrap device.ErrDisconnected,
// device.ErrTimeout, device.ErrBusy or device.ErrProtocol (stall).
type USBDevice interface {
	Desc() USBDesc
	// Control performs a control transfer; data is sent (OUT) or filled (IN)
	// according to bit 7 of rType.
	Control(ctx context.Context, rType, request uint8, value, index uint16, data []byte) (int, error)
	// Read reads one transfer from an IN endpoint (bulk or interrupt).
	Read(ctx context.Context, ep uint8, buf []byte) (int, error)
	// Write writes to an OUT endpoint (bulk or interrupt).
	Write(ctx context.Context, ep uint8, data []byte) (int, error)
	Close() error
}

// USBHost lists and opens USB devices. The gousb adapter implements it;
// simulators implement it in-process.
type USBHost interface {
	// List returns the devices present now, opening none.
	List(ctx context.Context) ([]USBDesc, error)
	// Open opens the device with vid:pid (on port, if not empty). A device
	// that is not present is ErrDisconnected.
	Open(ctx context.Context, vid, pid uint16, port string) (USBDevice, error)
}

// Control request types (bmRequestType) used by drivers.
const (
	ReqVendorOut uint8 = 0x40 // host-to-device | vendor | device
	ReqVendorIn  uint8 = 0xC0 // device-to-host | vendor | device
	ReqClassOut  uint8 = 0x21 // host-to-device | class | interface (HID SET_REPORT)
	ReqClassIn   uint8 = 0xA1 // device-to-host | class | interface (HID GET_REPORT)
)
