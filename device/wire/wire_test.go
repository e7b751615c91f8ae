package wire_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/device"
	"github.com/rekam-ktp/rekam/device/wire"
	"github.com/rekam-ktp/rekam/simulators/host"
)

// lines cuts "\n"-terminated frames starting with '>' (anything else is
// garbage to skip).
func lines(buf []byte) (int, int, error) {
	if buf[0] != '>' {
		return 1, 0, nil
	}
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		return 0, i + 1, nil
	}
	return 0, 0, nil
}

func TestReaderResyncTimeoutTruncation(t *testing.T) {
	drv, dev := host.Pipe()
	r := wire.NewReader(drv, lines, "test")
	ctx := context.Background()

	dev.Write([]byte("xx>one\n>two\n"))
	for _, want := range []string{">one\n", ">two\n"} {
		got, err := r.Next(ctx, time.Second)
		if err != nil || string(got) != want {
			t.Fatalf("Next = %q, %v; want %q", got, err, want)
		}
	}
	if r.Skipped != 2 {
		t.Fatalf("skipped %d", r.Skipped)
	}

	t0 := time.Now()
	if _, err := r.Next(ctx, 50*time.Millisecond); !errors.Is(err, device.ErrTimeout) || time.Since(t0) > time.Second {
		t.Fatalf("silence: %v after %s", err, time.Since(t0))
	}

	dev.Write([]byte(">half"))
	_, err := r.Next(ctx, 50*time.Millisecond)
	var pe *device.ProtocolError
	if !errors.As(err, &pe) || string(pe.Bytes) != ">half" {
		t.Fatalf("truncated: %v", err)
	}

	c, cancel := context.WithCancel(ctx)
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := r.Next(c, time.Hour); !errors.Is(err, device.ErrCancelled) {
		t.Fatalf("cancel: %v", err)
	}

	dc, dcancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer dcancel()
	if _, err := r.Next(dc, time.Hour); !errors.Is(err, device.ErrTimeout) || dc.Err() == nil {
		t.Fatalf("deadline: %v (ctx err %v)", err, dc.Err())
	}

	dev.Close()
	if _, err := r.Next(ctx, time.Second); !errors.Is(err, device.ErrDisconnected) {
		t.Fatalf("closed: %v", err)
	}
}

func TestLinkBusyAndReconnect(t *testing.T) {
	opens := 0
	var dev *host.PipeEnd
	l := wire.NewLink("test", func() (wire.Port, error) {
		opens++
		var drv *host.PipeEnd
		drv, dev = host.Pipe()
		return drv, nil
	}, lines, nil)
	ctx := context.Background()
	started := make(chan struct{})
	release := make(chan struct{})
	go l.Run(ctx, "slow", func() error { close(started); <-release; return nil })
	<-started
	if err := l.Run(ctx, "second", func() error { return nil }); !errors.Is(err, device.ErrBusy) {
		t.Fatalf("concurrent run: %v", err)
	}
	close(release)
	time.Sleep(10 * time.Millisecond)
	err := l.Run(ctx, "read", func() error {
		dev.Close() // unplug
		_, err := l.Next(ctx, time.Second)
		return err
	})
	if !errors.Is(err, device.ErrDisconnected) || l.Connected() {
		t.Fatalf("unplug: %v, connected %v", err, l.Connected())
	}
	if err := l.Run(ctx, "again", func() error { return nil }); err != nil || opens != 2 {
		t.Fatalf("reconnect: %v, %d opens", err, opens)
	}
	l.Close()
	if err := l.Run(ctx, "closed", func() error { return nil }); !errors.Is(err, device.ErrDisconnected) {
		t.Fatalf("after close: %v", err)
	}
}
