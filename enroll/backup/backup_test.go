package backup

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rekam-ktp/rekam/enroll/keys"
)

var (
	fastKDF = keys.KDFParams{Time: 1, Memory: 64, Threads: 1}
	t0      = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
)

const pass = "recovery passphrase"

func testKeys(t testing.TB) (*keys.Keys, []byte) {
	t.Helper()
	k, err := keys.Generate("ST-01")
	if err != nil {
		t.Fatal(err)
	}
	w, err := keys.Wrap(k, pass, fastKDF)
	if err != nil {
		t.Fatal(err)
	}
	return k, w
}

func encrypt(t testing.TB, k *keys.Keys, w, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := Write(&out, bytes.NewReader(plain), k, w, t0); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func decrypt(k *keys.Keys, file []byte) ([]byte, error) {
	r := bytes.NewReader(file)
	h, hsum, err := ReadHeader(r)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	err = Decrypt(r, h, hsum, k, &out)
	return out.Bytes(), err
}

func TestRoundTripSizes(t *testing.T) {
	k, w := testKeys(t)
	for _, n := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 2*ChunkSize + ChunkSize/2} {
		plain := make([]byte, n)
		rand.Read(plain)
		file := encrypt(t, k, w, plain)
		got, err := decrypt(k, file)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("size %d: err %v, equal %v", n, err, bytes.Equal(got, plain))
		}
		if n > 64 && bytes.Contains(file, plain[:32]) {
			t.Fatalf("size %d: plaintext visible in the file", n)
		}
	}
}

// chunkAt returns the offset of chunk i's length field.
func chunkAt(file []byte, i int) int {
	off := len(Magic) + 4 + int(binary.BigEndian.Uint32(file[len(Magic):]))
	for ; i > 0; i-- {
		off += 4 + int(binary.BigEndian.Uint32(file[off:]))
	}
	return off
}

func TestTamperingIsRefused(t *testing.T) {
	k, w := testKeys(t)
	plain := make([]byte, 2*ChunkSize+1000)
	rand.Read(plain)
	good := encrypt(t, k, w, plain)
	c1, c2 := chunkAt(good, 1), chunkAt(good, 2)
	tests := []struct {
		name   string
		mutate func(b []byte) []byte
		want   error
	}{
		{"magic", func(b []byte) []byte { b[0] = 'X'; return b }, ErrFormat},
		{"version", func(b []byte) []byte { b[7] = 9; return b }, ErrFormat},
		{"huge header length", func(b []byte) []byte { binary.BigEndian.PutUint32(b[8:], 1<<31); return b }, ErrFormat},
		{"header date", func(b []byte) []byte { return bytes.Replace(b, []byte("2026-06-01"), []byte("2026-06-02"), 1) }, ErrTampered},
		{"byte in chunk 1", func(b []byte) []byte { b[c1+100] ^= 1; return b }, ErrTampered},
		{"chunk length", func(b []byte) []byte { binary.BigEndian.PutUint32(b[c1:], 1<<30); return b }, ErrTampered},
		{"chunks swapped", func(b []byte) []byte {
			out := append([]byte(nil), b[:c1]...)
			out = append(out, b[c2:]...)
			return append(out, b[c1:c2]...)
		}, ErrTampered},
		{"chunk dropped", func(b []byte) []byte { return append(b[:c1:c1], b[c2:]...) }, ErrTampered},
		{"cut after a chunk", func(b []byte) []byte { return b[:c2] }, ErrTampered},
		{"cut mid-chunk", func(b []byte) []byte { return b[:c2+10] }, ErrTampered},
		{"trailing byte", func(b []byte) []byte { return append(b, 0) }, ErrTampered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decrypt(k, tt.mutate(append([]byte(nil), good...)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	other, _ := keys.Generate("ST-01")
	if _, err := decrypt(other, good); !errors.Is(err, ErrTampered) {
		t.Fatalf("other station's keys: %v", err)
	}
}

func TestFileRoundTripAndWrongPassphrase(t *testing.T) {
	k, w := testKeys(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "copy.db")
	plain := bytes.Repeat([]byte("SQLite format 3\x00"), 5000)
	os.WriteFile(db, plain, 0o600)
	bk := filepath.Join(dir, "station.rkb")
	if err := WriteFile(bk, db, k, w, t0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := RestoreFile(bk, "wrong passphrase!", filepath.Join(dir, "r1")); !errors.Is(err, keys.ErrPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "r1")); err == nil {
		t.Fatal("a failed restore left its output")
	}
	got, h, err := RestoreFile(bk, pass, filepath.Join(dir, "r2"))
	if err != nil || !got.Equal(k) || h.Station != "ST-01" {
		t.Fatalf("RestoreFile: %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "r2"))
	if !bytes.Equal(b, plain) {
		t.Fatal("restored bytes differ")
	}
	// Corrupt the file on disk: refused, output removed.
	f, _ := os.ReadFile(bk)
	f[len(f)-5] ^= 0xff
	os.WriteFile(bk, f, 0o600)
	if _, _, err := RestoreFile(bk, pass, filepath.Join(dir, "r3")); !errors.Is(err, ErrTampered) {
		t.Fatalf("corrupt file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "r3")); err == nil {
		t.Fatal("a failed restore left its output")
	}
}

func FuzzReadHeader(f *testing.F) {
	k, w := testKeys(f)
	good := encrypt(f, k, w, []byte("small database"))
	f.Add(good)
	f.Add(good[:20])
	f.Add([]byte(Magic + "\x00\x00\x00\x02{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, _, err := ReadHeader(bytes.NewReader(b))
		if err == nil && (h.Station == "" || len(h.Salt) != saltSize) {
			t.Fatal("accepted an incomplete header")
		}
	})
}

func FuzzDecrypt(f *testing.F) {
	k, w := testKeys(f)
	good := encrypt(f, k, w, bytes.Repeat([]byte("x"), 3000))
	body := chunkAt(good, 0)
	f.Add(good[body:])
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	h, hsum, err := ReadHeader(bytes.NewReader(good))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, chunks []byte) {
		var out bytes.Buffer
		err := Decrypt(bytes.NewReader(chunks), h, hsum, k, &out)
		if err == nil && !bytes.Equal(chunks, good[body:]) {
			t.Fatal("accepted chunks the writer did not make")
		}
	})
}
