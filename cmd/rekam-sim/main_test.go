package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/catalog"
)

// TestRekamSimEndToEnd starts rekam-sim, opens each printed path with the
// named driver through go.bug.st/serial, and injects a fault over the
// control API.
func TestRekamSimEndToEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--pace=false", "--dir", t.TempDir()}, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var lines []Line
	for len(lines) < 5 && sc.Scan() {
		var l Line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("bad line %q: %v", sc.Text(), err)
		}
		if l.Kind == "" || l.Driver == "" || l.Transport != "serial" || l.Path == "" || l.Control == "" {
			t.Fatalf("incomplete line %+v", l)
		}
		lines = append(lines, l)
	}
	if len(lines) != 5 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		dev, _, err := catalog.OpenSerial(l.Driver, l.Path, l.Baud)
		if err != nil {
			t.Fatal(err)
		}
		c, cancelOp := context.WithTimeout(context.Background(), 5*time.Second)
		info, err := dev.Info(c)
		cancelOp()
		if err != nil || string(info.Kind) != l.Kind {
			t.Fatalf("%s: info %+v %v", l.Name, info, err)
		}
		if l.Kind == "finger" {
			resp, err := http.Post(l.Control+"/fault/wet", "", nil)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("control: %v %v", resp, err)
			}
			resp.Body.Close()
			scan := dev.(device.FingerScanner)
			c, cancelOp := context.WithTimeout(context.Background(), 10*time.Second)
			_, err = scan.Capture(c, device.FingerRequest{Position: device.RightIndex, MinQuality: 60})
			cancelOp()
			if !errors.Is(err, device.ErrPoorQuality) {
				t.Fatalf("%s: wet fault gave %v", l.Name, err)
			}
		}
		dev.Close()
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
}
