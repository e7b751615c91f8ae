// Package backendtest is the conformance suite every server.Backend must
// pass: the embedded SQLite store and PostgreSQL run the same tests.
package backendtest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/sync/server"
)

// Run runs the suite; fresh returns an empty backend for each test.
func Run(t *testing.T, fresh func(t *testing.T) server.Backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, b server.Backend)
	}{
		{"registration", testRegistration},
		{"announce and receive", testReceive},
		{"one received packet per enrollment", testOnePerEnrollment},
		{"status paging", testStatus},
		{"stats", testStats},
		{"NIK call-up audited", testResidentLookup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, fresh(t)) })
	}
}

var at = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

func name(i int) string { return fmt.Sprintf("%064x", i) }

func testRegistration(t *testing.T, b server.Backend) {
	ctx := context.Background()
	if _, err := b.Station(ctx, "nope"); !errors.Is(err, server.ErrNotFound) {
		t.Fatalf("missing station: %v", err)
	}
	if err := b.AddStation(ctx, server.Station{ID: "ST-1", Kecamatan: "32.11.01", TokenHash: "tok"}); err != nil {
		t.Fatal(err)
	}
	if err := b.CompleteRegistration(ctx, "ST-1", "wrong", "fp", []byte("k"), at); err == nil {
		t.Fatal("wrong token accepted")
	}
	if err := b.CompleteRegistration(ctx, "ST-1", "tok", "fp", []byte("key"), at); err != nil {
		t.Fatal(err)
	}
	if err := b.CompleteRegistration(ctx, "ST-1", "tok", "fp2", []byte("key2"), at); err == nil {
		t.Fatal("a used token registered again")
	}
	st, err := b.Station(ctx, "ST-1")
	if err != nil || st.CertFingerprint != "fp" || string(st.SigningKey) != "key" || !st.RegisteredAt.Equal(at) || st.Revoked {
		t.Fatalf("station %+v %v", st, err)
	}
	if err := b.RevokeStation(ctx, "ST-1"); err != nil {
		t.Fatal(err)
	}
	if st, _ := b.Station(ctx, "ST-1"); !st.Revoked {
		t.Fatal("revocation not stored")
	}
	if err := b.RevokeStation(ctx, "nope"); !errors.Is(err, server.ErrNotFound) {
		t.Fatalf("revoke missing: %v", err)
	}
}

func addStation(t *testing.T, b server.Backend, id string) {
	t.Helper()
	if err := b.AddStation(context.Background(), server.Station{ID: id, Kecamatan: "32.11.01", TokenHash: "t-" + id}); err != nil {
		t.Fatal(err)
	}
}

func testReceive(t *testing.T, b server.Backend) {
	ctx := context.Background()
	addStation(t, b, "ST-1")
	p := server.PacketRecord{Name: name(1), StationID: "ST-1", EnrollmentID: "E-1", Size: 10}
	if err := b.Announce(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := b.Announce(ctx, p); err != nil {
		t.Fatalf("announce twice: %v", err)
	}
	got, err := b.Packet(ctx, name(1))
	if err != nil || got.State != server.PacketAnnounced || got.Size != 10 {
		t.Fatalf("packet %+v %v", got, err)
	}
	calls := 0
	sign := func(serial int64) (string, error) { calls++; return fmt.Sprintf("receipt-%d", serial), nil }
	r1, err := b.Receive(ctx, name(1), at, sign, &server.StatusRow{Status: "PRINT_READY_RECORD", At: at})
	if err != nil || r1 != "receipt-1" {
		t.Fatalf("receive: %q %v", r1, err)
	}
	r2, err := b.Receive(ctx, name(1), at.Add(time.Hour), sign, nil)
	if err != nil || r2 != r1 || calls != 1 {
		t.Fatalf("second receive: %q %v (signed %d times)", r2, err, calls)
	}
	got, _ = b.Packet(ctx, name(1))
	if got.State != server.PacketReceived || got.Receipt != r1 || !got.ReceivedAt.Equal(at) {
		t.Fatalf("received packet %+v", got)
	}
	sts, _ := b.StatusSince(ctx, "ST-1", 0, 10)
	if len(sts) != 2 || sts[0].Status != "RECEIVED_AT_CENTRAL" || sts[1].Status != "PRINT_READY_RECORD" {
		t.Fatalf("statuses after receive: %+v", sts)
	}
	if und, err := b.Undecided(ctx, 10); err != nil || len(und) != 0 {
		t.Fatalf("undecided after a decided receive: %v %v", und, err)
	}
	// A failing signer leaves nothing half-done.
	b.Announce(ctx, server.PacketRecord{Name: name(2), StationID: "ST-1", EnrollmentID: "E-2", Size: 5})
	if _, err := b.Receive(ctx, name(2), at, func(int64) (string, error) { return "", errors.New("hsm down") }, nil); err == nil {
		t.Fatal("receive ignored the signer's error")
	}
	if got, _ := b.Packet(ctx, name(2)); got.State != server.PacketAnnounced {
		t.Fatalf("failed receive left state %q", got.State)
	}
	r3, err := b.Receive(ctx, name(2), at, sign, nil)
	if err != nil || r3 != "receipt-2" {
		t.Fatalf("serials must be consecutive: %q %v", r3, err)
	}
	if und, err := b.Undecided(ctx, 10); err != nil || len(und) != 1 || und[0] != name(2) {
		t.Fatalf("undecided: %v %v", und, err)
	}
	b.AddStatus(ctx, "ST-1", "E-2", name(2), "DUPLICATE_RECORD", "x", at)
	if und, _ := b.Undecided(ctx, 10); len(und) != 0 {
		t.Fatalf("a decided packet is still undecided: %v", und)
	}
	if err := b.Reject(ctx, name(2), "late"); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Packet(ctx, name(2)); got.State != server.PacketReceived {
		t.Fatal("a received packet was rejected afterwards")
	}
}

func testOnePerEnrollment(t *testing.T, b server.Backend) {
	ctx := context.Background()
	addStation(t, b, "ST-1")
	sign := func(serial int64) (string, error) { return fmt.Sprint(serial), nil }
	b.Announce(ctx, server.PacketRecord{Name: name(1), StationID: "ST-1", EnrollmentID: "E-1", Size: 1})
	b.Announce(ctx, server.PacketRecord{Name: name(2), StationID: "ST-1", EnrollmentID: "E-1", Size: 1})
	if _, err := b.Receive(ctx, name(1), at, sign, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Receive(ctx, name(2), at, sign, nil); err == nil {
		t.Fatal("two packets received for one enrollment")
	}
	got, err := b.ReceivedForEnrollment(ctx, "ST-1", "E-1")
	if err != nil || got.Name != name(1) {
		t.Fatalf("received for enrollment: %+v %v", got, err)
	}
	if _, err := b.ReceivedForEnrollment(ctx, "ST-1", "E-9"); !errors.Is(err, server.ErrNotFound) {
		t.Fatalf("missing enrollment: %v", err)
	}
}

func testStatus(t *testing.T, b server.Backend) {
	ctx := context.Background()
	addStation(t, b, "ST-1")
	addStation(t, b, "ST-2")
	for i := range 5 {
		if err := b.AddStatus(ctx, "ST-1", fmt.Sprint("E-", i), name(i), "PRINT_READY_RECORD", "", at.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	b.AddStatus(ctx, "ST-2", "E-x", name(9), "DUPLICATE_RECORD", "matches E-1", at)
	page, err := b.StatusSince(ctx, "ST-1", 0, 3)
	if err != nil || len(page) != 3 || page[0].EnrollmentID != "E-0" {
		t.Fatalf("first page %+v %v", page, err)
	}
	rest, _ := b.StatusSince(ctx, "ST-1", page[2].Seq, 10)
	if len(rest) != 2 || rest[1].EnrollmentID != "E-4" || !rest[1].At.Equal(at.Add(4*time.Second)) {
		t.Fatalf("second page %+v", rest)
	}
	other, _ := b.StatusSince(ctx, "ST-2", 0, 10)
	if len(other) != 1 || other[0].Reason != "matches E-1" {
		t.Fatalf("another station's updates leaked or were lost: %+v", other)
	}
}

func testStats(t *testing.T, b server.Backend) {
	ctx := context.Background()
	addStation(t, b, "ST-1")
	addStation(t, b, "ST-2")
	sign := func(serial int64) (string, error) { return fmt.Sprint(serial), nil }
	for i := range 3 {
		b.Announce(ctx, server.PacketRecord{Name: name(i), StationID: "ST-1", EnrollmentID: fmt.Sprint(i), Size: 1})
	}
	b.Receive(ctx, name(0), at, sign, nil)
	b.Reject(ctx, name(1), "packet signature: manifest signature does not verify")
	b.Touch(ctx, "ST-1", at)
	stats, err := b.Stats(ctx)
	if err != nil || len(stats) != 2 {
		t.Fatalf("stats %+v %v", stats, err)
	}
	s := stats[0]
	if s.StationID != "ST-1" || s.Received != 1 || s.Rejected != 1 || s.Announced != 1 || !s.LastContact.Equal(at) {
		t.Fatalf("ST-1 stats %+v", s)
	}
	if !strings.HasPrefix(stats[1].StationID, "ST-2") || stats[1].Received != 0 || !stats[1].LastContact.IsZero() {
		t.Fatalf("ST-2 stats %+v", stats[1])
	}
	f, err := b.Failures(ctx)
	if err != nil || len(f) != 1 || f["signature"] != 1 {
		t.Fatalf("failures %v %v", f, err)
	}
}

func testResidentLookup(t *testing.T, b server.Backend) {
	ctx := context.Background()
	addStation(t, b, "ST-1")
	if err := b.PutResidents(ctx, []server.ResidentRow{{NIK: "3211010101900001", Biodata: []byte(`{"name":"A"}`), Modified: at}}); err != nil {
		t.Fatal(err)
	}
	b.PutResidents(ctx, []server.ResidentRow{{NIK: "3211010101900001", Biodata: []byte(`{"name":"B"}`), Modified: at}})
	bio, err := b.ResidentByNIK(ctx, "ST-1", "3211010101900001", "h1", at)
	if err != nil || string(bio) != `{"name":"B"}` {
		t.Fatalf("lookup: %s %v", bio, err)
	}
	if _, err := b.ResidentByNIK(ctx, "ST-1", "3211010101900002", "h2", at.Add(time.Second)); !errors.Is(err, server.ErrNotFound) {
		t.Fatalf("missing NIK: %v", err)
	}
	rows, err := b.Lookups(ctx, "ST-1", 10)
	if err != nil || len(rows) != 2 || rows[0].NIKHash != "h2" || rows[0].Found || !rows[1].Found {
		t.Fatalf("audit rows %+v %v", rows, err)
	}
}
