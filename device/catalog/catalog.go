// Package catalog names the serial drivers so tools can open a device from
// a port path and a driver name (rekamctl devices --port --driver).
package catalog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/gt511"
	"github.com/rekam-ktp/rekam/device/iddk"
	"github.com/rekam-ktp/rekam/device/isdv4"
	"github.com/rekam-ktp/rekam/device/r30x"
	"github.com/rekam-ktp/rekam/device/transport"
)

// Driver is one serial driver.
type Driver struct {
	Name     string
	Kind     device.Kind
	Baud     int // the device's default line rate
	Describe string
	Open     func(path string, baud int) device.Device
}

// Serial lists the serial drivers by name.
var Serial = map[string]Driver{}

func add(d Driver) { Serial[d.Name] = d }

func init() {
	for key, m := range r30x.Models {
		add(Driver{Name: key, Kind: device.KindFinger, Baud: 57600, Describe: m.Name + " fingerprint module (Grow/ZhianTec protocol)",
			Open: func(path string, baud int) device.Device {
				return r30x.Open(path, r30x.Config{Model: key, Baud: baud})
			}})
	}
	add(Driver{Name: "gt511", Kind: device.KindFinger, Baud: 9600, Describe: "ADH-Tech GT-511C3 fingerprint module",
		Open: func(path string, baud int) device.Device { return gt511.Open(path, gt511.Config{Baud: baud}) }})
	add(Driver{Name: "iddk-iris", Kind: device.KindIris, Baud: 115200, Describe: "iris camera helper (IDDK-style protocol)",
		Open: func(path string, baud int) device.Device {
			return iddk.NewIris(serialOpener(path, baud), path, iddk.Config{})
		}})
	add(Driver{Name: "iddk-face", Kind: device.KindFace, Baud: 115200, Describe: "face camera helper (IDDK-style protocol)",
		Open: func(path string, baud int) device.Device {
			return iddk.NewFace(serialOpener(path, baud), path, iddk.Config{})
		}})
	add(Driver{Name: "isdv4", Kind: device.KindSignature, Baud: 38400, Describe: "Wacom ISDV4/W8001 serial pen digitiser",
		Open: func(path string, baud int) device.Device { return isdv4.Open(path, isdv4.Config{Baud: baud}) }})
}

func serialOpener(path string, baud int) func() (transport.Port, error) {
	return func() (transport.Port, error) {
		return transport.OpenSerial(path, transport.SerialConfig{Baud: baud})
	}
}

// Names returns the driver names, sorted.
func Names() []string {
	var out []string
	for n := range Serial {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// OpenSerial opens path with the named driver (baud 0 = its default).
func OpenSerial(name, path string, baud int) (device.Device, Driver, error) {
	d, ok := Serial[name]
	if !ok {
		return nil, Driver{}, fmt.Errorf("unknown driver %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	if baud == 0 {
		baud = d.Baud
	}
	return d.Open(path, baud), d, nil
}
