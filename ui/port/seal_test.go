package port

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/pusat"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
)

// TestApprovalSealsARegisteredStation: once registered with the national
// server, a supervisor's approval seals the enrollment into the outbox
// (PROCESSING) in the same step.
func TestApprovalSealsARegisteredStation(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	srvDir := t.TempDir()
	if _, err := pusat.Init(srvDir, []string{"127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	info, _ := st.Info(ctx)
	token, err := pusat.AddStation(srvDir, info.ID, info.Kecamatan)
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { pusat.Serve(sctx, srvDir, "", ln, slog.New(slog.NewTextHandler(io.Discard, nil))); close(done) }()
	defer func() { cancel(); <-done }()

	g := image.NewGray(image.Rect(0, 0, 120, 160))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 13)
	}
	var b bytes.Buffer
	png.Encode(&b, g)
	rid, _ := st.SaveResident(ctx, s["op1"], 0, enroll.Resident{NIK: "3211010101900007", Name: "A"})
	id, _ := st.StartEnrollment(ctx, s["op1"], rid)
	for _, step := range Steps() {
		if err := st.SaveCapture(ctx, s["op1"], id, step, b.Bytes(), store.CaptureMeta{Format: "png"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Submit(ctx, s["op1"], id); err != nil {
		t.Fatal(err)
	}
	reg, err := client.Register(ctx, "https://"+ln.Addr().String(), token, info.ID, st.keys.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if err := syncstation.SaveRegistration(st.configDir, reg); err != nil {
		t.Fatal(err)
	}
	if err := st.Decide(ctx, s["sup2"], id, true, ""); err != nil {
		t.Fatal(err)
	}
	e, _ := st.Enrollment(ctx, s["sup2"], id)
	out, _ := st.Outbox(ctx, s["sup2"], store.OutboxPending)
	if e.State != enroll.Processing || len(out) != 1 || filepath.Dir(out[0].PacketPath) != filepath.Join(st.dataDir, syncstation.OutboxDir) {
		t.Fatalf("after approval: %s, outbox %+v", e.State, out)
	}
}
