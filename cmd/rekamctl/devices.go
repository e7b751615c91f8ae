package main

import (
	ctxpkg "context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/catalog"
	"github.com/rekam-ktp/rekam/device/discovery"
	"github.com/rekam-ktp/rekam/device/transport"
	"github.com/rekam-ktp/rekam/device/v4l2"
	"github.com/rekam-ktp/rekam/device/vcom5s"
	"github.com/rekam-ktp/rekam/device/wacomstu"
	"github.com/rekam-ktp/rekam/simulators/simset"
)

func init() {
	register(&command{path: "devices list", summary: "list capture devices (USB readers found, --sim set, --port device)", run: runDevicesList})
	register(&command{path: "devices info", summary: "identify a device: vendor, model, serial, firmware", run: runDevicesInfo})
	register(&command{path: "devices selftest", summary: "run a device's self-test (link, sensor, ...)", run: runDevicesSelftest})
	register(&command{path: "devices capture", summary: "capture once and write the image (PNG) and its quality", run: runDevicesCapture})
}

// devTarget is one device a devices command works on.
type devTarget struct {
	name string
	dev  device.Device
}

// devFlags are the device-selection flags shared by the devices commands.
type devFlags struct {
	port, driver, name string
	video              string
	usb                string
	baud               int
	sim                bool
	timeout            time.Duration
}

func newDevFlags(cx *context, path string) (*flag.FlagSet, *common, *devFlags) {
	fs, c := newFlags(cx, path)
	d := &devFlags{}
	fs.StringVar(&d.port, "port", "", "serial port of a device (e.g. /dev/ttyUSB0 or a rekam-sim path)")
	fs.StringVar(&d.driver, "driver", "", "driver for --port: "+strings.Join(catalog.Names(), ", "))
	fs.IntVar(&d.baud, "baud", 0, "line rate for --port (default: the driver's)")
	fs.StringVar(&d.usb, "usb", "", "a USB device by VID:PID (e.g. 061a:0110 vcom5s reader, 056a:00a5 STU-530 pad)")
	fs.StringVar(&d.video, "video", "", "a V4L2 camera node used as the face camera (e.g. /dev/video0)")
	fs.BoolVar(&d.sim, "sim", false, "attach the whole simulated device set in-process")
	fs.StringVar(&d.name, "name", "", "with --sim: only this simulated device (e.g. fp0)")
	fs.DurationVar(&d.timeout, "timeout", 20*time.Second, "deadline of each device operation")
	return fs, c, d
}

// open resolves the selection; the returned func releases everything.
func (d *devFlags) open() ([]devTarget, func(), error) {
	switch {
	case d.usb != "":
		return devOpenUSB(d.usb)
	case d.video != "":
		cam := v4l2.Open(d.video, 640, 480)
		return []devTarget{{d.video, cam}}, func() { cam.Close() }, nil
	case d.port != "" && d.sim:
		return nil, nil, errors.New("use either --port or --sim")
	case d.port != "":
		if d.driver == "" {
			return nil, nil, errors.New("--port needs --driver")
		}
		dev, _, err := catalog.OpenSerial(d.driver, d.port, d.baud)
		if err != nil {
			return nil, nil, err
		}
		return []devTarget{{d.port, dev}}, func() { dev.Close() }, nil
	case d.sim:
		set, err := simset.Start(simset.Options{Serial: true, USB: true, Identity: 1})
		if err != nil {
			return nil, nil, err
		}
		var out []devTarget
		for _, s := range set.Sims {
			if d.name == "" || d.name == s.Name {
				out = append(out, devTarget{s.Name, s.Open()})
			}
		}
		closeAll := func() {
			for _, t := range out {
				t.dev.Close()
			}
			set.Close()
		}
		if len(out) == 0 {
			closeAll()
			return nil, nil, fmt.Errorf("no simulated device %q", d.name)
		}
		return out, closeAll, nil
	}
	return nil, nil, errors.New("choose a device: --port PATH --driver NAME, --usb VID:PID, --video /dev/videoN, or --sim")
}

func (d *devFlags) ctx() (ctxpkg.Context, ctxpkg.CancelFunc) {
	return ctxpkg.WithTimeout(ctxpkg.Background(), d.timeout)
}

// devOpenUSB opens a known USB model through libusb.
func devOpenUSB(spec string) ([]devTarget, func(), error) {
	vid, pid, err := catalog.ParseUSBID(spec)
	if err != nil {
		return nil, nil, fmt.Errorf("--usb: %w", err)
	}
	host := transport.NewLibUSB()
	dev, err := catalog.OpenUSB(host, vid, pid, "")
	if err != nil {
		host.Close()
		return nil, nil, fmt.Errorf("--usb: %w", err)
	}
	return []devTarget{{spec, dev}}, func() { dev.Close(); host.Close() }, nil
}

// devErrorKind names a typed device error for JSON output.
func devErrorKind(err error) string {
	if k := device.KindOf(err); k != nil {
		return k.Error()
	}
	return "error"
}

func runDevicesList(cx *context, args []string) int {
	fs, c, d := newDevFlags(cx, "devices list")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	type row struct {
		Name      string `json:"name"`
		Kind      string `json:"kind"`
		Driver    string `json:"driver"`
		Transport string `json:"transport"`
		Path      string `json:"path"`
		Present   bool   `json:"present"`
	}
	var rows []row
	if d.sim {
		set, err := simset.Start(simset.Options{Serial: true, USB: true, Identity: 1})
		if err != nil {
			return failf(cx, exitUsage, "devices list: %v", err)
		}
		for _, s := range set.Sims {
			rows = append(rows, row{s.Name, string(s.Kind), s.Driver, s.Transport, s.Path(), s.Plugged()})
		}
		set.Close()
	}
	if d.port != "" {
		drv, ok := catalog.Serial[d.driver]
		_, err := os.Stat(d.port)
		if !ok {
			return failf(cx, exitUsage, "devices list: --port needs a known --driver (%s)", strings.Join(catalog.Names(), ", "))
		}
		rows = append(rows, row{d.port, string(drv.Kind), drv.Name, "serial", d.port, err == nil})
	}
	if transport.HasLibUSB {
		h := transport.NewLibUSB()
		ctx, cancel := d.ctx()
		found, err := discovery.USBProber{Host: h, Models: devUSBModels()}.Probe(ctx)
		cancel()
		h.Close()
		if err != nil {
			fmt.Fprintf(cx.stderr, "rekamctl: devices list: usb: %v\n", err)
		}
		for _, f := range found {
			rows = append(rows, row{f.ID, string(f.Kind), f.Driver, f.Transport, f.Path, true})
		}
	}
	for _, r := range rows {
		if c.jsonOut {
			emitJSON(cx, r)
		} else {
			fmt.Fprintf(cx.stdout, "%-10s %-10s %-24s %-7s %s present=%v\n", r.Name, r.Kind, r.Driver, r.Transport, r.Path, r.Present)
		}
	}
	if len(rows) == 0 && !c.jsonOut {
		fmt.Fprintln(cx.stdout, "no devices (try --sim, or --port PATH --driver NAME)")
	}
	return exitOK
}

func runDevicesInfo(cx *context, args []string) int {
	fs, c, d := newDevFlags(cx, "devices info")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	targets, release, err := d.open()
	if err != nil {
		return failf(cx, exitUsage, "devices info: %v", err)
	}
	defer release()
	code := exitOK
	for _, t := range targets {
		ctx, cancel := d.ctx()
		info, err := t.dev.Info(ctx)
		cancel()
		if err != nil {
			fmt.Fprintf(cx.stderr, "rekamctl: devices info %s: %v\n", t.name, err)
			code = exitNegative
			continue
		}
		if c.jsonOut {
			emitJSON(cx, map[string]any{"name": t.name, "info": info})
		} else {
			fmt.Fprintf(cx.stdout, "%s: %s %s %s, serial %q, firmware %q (%s %s)\n", t.name, info.Kind, info.Vendor, info.Model,
				info.Serial, info.Firmware, info.Transport, info.Path)
		}
	}
	return code
}

func runDevicesSelftest(cx *context, args []string) int {
	fs, c, d := newDevFlags(cx, "devices selftest")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	targets, release, err := d.open()
	if err != nil {
		return failf(cx, exitUsage, "devices selftest: %v", err)
	}
	defer release()
	code := exitOK
	for _, t := range targets {
		ctx, cancel := d.ctx()
		h, err := t.dev.SelfTest(ctx)
		cancel()
		if err != nil || !h.OK {
			code = exitNegative
		}
		if c.jsonOut {
			out := map[string]any{"name": t.name, "ok": err == nil && h.OK, "checks": h.Checks, "rtt_ms": float64(h.RTT.Microseconds()) / 1000}
			if err != nil {
				out["error"], out["error_kind"] = err.Error(), devErrorKind(err)
			}
			emitJSON(cx, out)
			continue
		}
		if err != nil {
			fmt.Fprintf(cx.stdout, "%s: FAIL: %v\n", t.name, err)
			continue
		}
		fmt.Fprintf(cx.stdout, "%s: ok=%v rtt=%s\n", t.name, h.OK, h.RTT.Round(time.Microsecond))
		for _, ch := range h.Checks {
			fmt.Fprintf(cx.stdout, "  %-10s ok=%-5v %s\n", ch.Name, ch.OK, ch.Detail)
		}
	}
	return code
}

func runDevicesCapture(cx *context, args []string) int {
	fs, c, d := newDevFlags(cx, "devices capture")
	out := fs.String("out", "capture.png", "PNG to write (with several devices: NAME inserted before .png)")
	finger := fs.Int("finger", 2, "finger position (ISO 19794-4: 1..10 single, 13 right four, 14 left four, 15 thumbs)")
	minQ := fs.Int("min-quality", 0, "reject finger images below this quality proxy (0..100)")
	seconds := fs.Duration("sign-for", 3*time.Second, "signature pads: how long to record")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	targets, release, err := d.open()
	if err != nil {
		return failf(cx, exitUsage, "devices capture: %v", err)
	}
	defer release()
	code := exitOK
	for _, t := range targets {
		path := *out
		if len(targets) > 1 {
			path = strings.TrimSuffix(path, ".png") + "-" + filepath.Base(t.name) + ".png"
		}
		ctx, cancel := d.ctx()
		img, q, extra, err := devCaptureOne(ctx, t.dev, device.FingerRequest{Position: device.Finger(*finger), MinQuality: *minQ}, *seconds)
		cancel()
		if img != nil {
			if werr := devWritePNG(path, img); werr != nil {
				return failf(cx, exitUsage, "devices capture: %v", werr)
			}
		}
		if err != nil {
			code = exitNegative
		}
		res := map[string]any{"name": t.name, "quality": q}
		for k, v := range extra {
			res[k] = v
		}
		if img != nil {
			res["image"] = path
		}
		if err != nil {
			res["error"], res["error_kind"] = err.Error(), devErrorKind(err)
		}
		if c.jsonOut {
			emitJSON(cx, res)
		} else if err != nil {
			fmt.Fprintf(cx.stdout, "%s: FAIL (%s): %v\n", t.name, devErrorKind(err), err)
		} else {
			fmt.Fprintf(cx.stdout, "%s: wrote %s, quality %d %v\n", t.name, path, q, extra)
		}
	}
	return code
}

// devCaptureOne captures from any modality and returns a picture of it.
func devCaptureOne(ctx ctxpkg.Context, dev device.Device, req device.FingerRequest, signFor time.Duration) (image.Image, int, map[string]any, error) {
	switch d := dev.(type) {
	case device.FingerScanner:
		c, err := d.Capture(ctx, req)
		if c == nil {
			return nil, 0, nil, err
		}
		return c.Image, c.Quality, map[string]any{"fingers": c.Fingers, "dpi": c.DPI,
			"quality_proxy": "block contrast x coverage (device/quality)"}, err
	case device.SignaturePad:
		sctx, cancel := ctxpkg.WithTimeout(ctx, signFor)
		defer cancel()
		var pts []device.PenSample
		err := d.Stream(sctx, func(p device.PenSample) error { pts = append(pts, p); return nil })
		if err != nil {
			return nil, 0, nil, err
		}
		down := 0
		for _, p := range pts {
			if p.PenDown {
				down++
			}
		}
		return devRenderInk(pts, d.Caps()), min(100, down/5), map[string]any{"samples": len(pts), "pen_down": down}, nil
	case device.IrisCamera:
		c, err := d.Capture(ctx, device.IrisRequest{Eyes: device.EyeBoth})
		if err != nil {
			return nil, 0, nil, err
		}
		img, q := devIrisPair(c)
		return img, q, nil, nil
	case device.FaceCamera:
		c, err := d.Capture(ctx, device.FaceRequest{})
		if err != nil {
			return nil, 0, nil, err
		}
		return c.Image, c.Quality, nil, nil
	}
	return nil, 0, nil, fmt.Errorf("device %T has no capture", dev)
}

// devIrisPair puts both eyes side by side; quality is the lower score.
func devIrisPair(c *device.IrisCapture) (image.Image, int) {
	var eyes []*device.IrisImage
	for _, e := range []*device.IrisImage{c.Right, c.Left} {
		if e != nil {
			eyes = append(eyes, e)
		}
	}
	if len(eyes) == 0 {
		return nil, 0
	}
	w, h, q := 0, 0, 100
	for _, e := range eyes {
		w += e.Image.Bounds().Dx()
		h = max(h, e.Image.Bounds().Dy())
		q = min(q, e.Quality)
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	x := 0
	for _, e := range eyes {
		b := e.Image.Bounds()
		for y := 0; y < b.Dy(); y++ {
			copy(out.Pix[y*out.Stride+x:], e.Image.Pix[(y)*e.Image.Stride:(y)*e.Image.Stride+b.Dx()])
		}
		x += b.Dx()
	}
	return out, q
}

// devRenderInk draws pen-down segments on a white 600-pixel-wide canvas.
func devRenderInk(pts []device.PenSample, caps device.PadCaps) image.Image {
	maxX, maxY := max(caps.MaxX, 1), max(caps.MaxY, 1)
	w := 600
	h := max(1, w*maxY/maxX)
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if !a.PenDown || !b.PenDown {
			continue
		}
		steps := 20
		for s := 0; s <= steps; s++ {
			x := (a.X + (b.X-a.X)*s/steps) * w / maxX
			y := (a.Y + (b.Y-a.Y)*s/steps) * h / maxY
			img.SetGray(x, y, color.Gray{})
		}
	}
	return img
}

func devWritePNG(path string, img image.Image) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}

func init() {
	register(&command{path: "devices watch", summary: "poll for devices and print attach/detach events (USB, --port paths, --sim set)", run: runDevicesWatch})
}

func runDevicesWatch(cx *context, args []string) int {
	fs, c, d := newDevFlags(cx, "devices watch")
	interval := fs.Duration("interval", time.Second, "polling interval (gousb has no hot-plug API)")
	forDur := fs.Duration("for", 0, "stop after this long (0 = until interrupted)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	var probers []discovery.Prober
	if d.port != "" {
		drv, ok := catalog.Serial[d.driver]
		if !ok {
			return failf(cx, exitUsage, "devices watch: --port needs a known --driver (%s)", strings.Join(catalog.Names(), ", "))
		}
		probers = append(probers, discovery.SerialProber{Ports: []discovery.SerialPort{{Path: d.port, Kind: drv.Kind, Driver: drv.Name}}})
	}
	usbModels := devUSBModels()
	if d.sim {
		set, err := simset.Start(simset.Options{Serial: true, USB: true, Identity: 1})
		if err != nil {
			return failf(cx, exitUsage, "devices watch: %v", err)
		}
		defer set.Close()
		var ports []discovery.SerialPort
		for _, s := range set.Sims {
			if s.Transport == "serial" {
				ports = append(ports, discovery.SerialPort{Path: s.Path(), Kind: s.Kind, Driver: s.Driver})
			}
		}
		probers = append(probers, discovery.SerialProber{Ports: ports}, discovery.USBProber{Host: set.Bus, Models: usbModels})
	} else if transport.HasLibUSB {
		h := transport.NewLibUSB()
		defer h.Close()
		probers = append(probers, discovery.USBProber{Host: h, Models: usbModels})
	}
	reg := discovery.New(probers...)
	ctx, cancel := ctxpkg.WithCancel(ctxpkg.Background())
	defer cancel()
	if *forDur > 0 {
		ctx, cancel = ctxpkg.WithTimeout(ctx, *forDur)
		defer cancel()
	}
	events := make(chan discovery.Event)
	go func() { _ = reg.Run(ctx, *interval, events); close(events) }()
	for e := range events {
		if c.jsonOut {
			emitJSON(cx, e)
		} else {
			fmt.Fprintf(cx.stdout, "%s %-8s %-10s %-9s %s (%s)\n", e.Time.Format("15:04:05"), e.Type, e.Device.Kind, e.Device.Driver, e.Device.ID, e.Device.Path)
		}
	}
	return exitOK
}

// devUSBModels is every USB model with a driver.
func devUSBModels() []discovery.USBModel {
	var out []discovery.USBModel
	for _, m := range vcom5s.Models {
		out = append(out, discovery.USBModel{VID: m.VID, PID: m.PID, Kind: device.KindFinger, Driver: "vcom5s"})
	}
	for _, m := range wacomstu.Models {
		out = append(out, discovery.USBModel{VID: m.VID, PID: m.PID, Kind: device.KindSignature, Driver: "wacomstu"})
	}
	return out
}
