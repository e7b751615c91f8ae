package port

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"path/filepath"
	"testing"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/pusat/pusattest"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
)

// TestApprovalSealsARegisteredStation: once registered with the national
// server, a supervisor's approval seals the enrollment into the outbox
// (PROCESSING) in the same step.
func TestApprovalSealsARegisteredStation(t *testing.T) {
	ctx := context.Background()
	st, s := fixture(t)
	info, _ := st.Info(ctx)
	srv := pusattest.Start(t, info.ID, info.Kecamatan)

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
	reg, err := client.Register(ctx, srv.URL, srv.Token, info.ID, st.keys.PublicKey())
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
