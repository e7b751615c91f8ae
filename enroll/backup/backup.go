// Package backup is the station's backup file: a copy of the database,
// encrypted and integrity-checked, that carries its own key copy wrapped by
// the recovery passphrase, so a station whose disk died can be restored on
// a new machine from the file and the passphrase alone.
//
// Layout (all integers big-endian):
//
//	magic   "REKAMBK" 0x01                 8 bytes, the last is the version
//	hlen    uint32                         header length, at most 64 KiB
//	header  JSON                           Header (station, time, salt, sizes,
//	                                       the passphrase-wrapped keys)
//	chunks  repeated: clen uint32, bytes   AES-256-GCM, at most ChunkSize
//	                                       plaintext each
//
// The chunk key is HKDF(data key, salt, "rekam/backup"): unique per file,
// so the chunk counter is a safe nonce. Each chunk's additional data is
// SHA-256(magic, hlen, header) || index || final flag, which binds the
// header, the order, and the end: an edited header, a swapped, dropped or
// added chunk, and a cut-off file all fail authentication. The plaintext's
// SHA-256 and size in the header are checked again at the end.
package backup

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rekam-ktp/rekam/enroll/keys"
)

// Magic starts every backup file; its last byte is the format version.
const Magic = "REKAMBK\x01"

// ChunkSize is the plaintext size of every chunk but the last.
const ChunkSize = 1 << 20

const (
	maxHeader = 64 << 10
	saltSize  = 32
)

// ErrFormat marks a file that is not a well-formed backup.
var ErrFormat = errors.New("not a valid rekam backup file")

// ErrTampered marks a backup whose contents fail authentication: altered,
// truncated, or not made with these keys.
var ErrTampered = errors.New("backup fails its integrity check (altered, truncated or another station's)")

// Header is the backup file's clear-text header. It holds no personal data.
type Header struct {
	Station   string    `json:"station"`
	CreatedAt time.Time `json:"created_at"`
	// Salt makes the chunk key unique to this file.
	Salt []byte `json:"salt"`
	// PlainSize and PlainSHA256 describe the database copy inside.
	PlainSize   int64  `json:"plain_size"`
	PlainSHA256 string `json:"plain_sha256"`
	// WrappedKeys is the station's keys wrapped by the recovery passphrase
	// (package keys).
	WrappedKeys json.RawMessage `json:"wrapped_keys"`
}

// Write encrypts the database copy read from src into w. The whole
// plaintext is read twice (size and hash go in the header), so src must be
// seekable: a temp file from store.Snapshot.
func Write(w io.Writer, src io.ReadSeeker, k *keys.Keys, wrapped []byte, now time.Time) error {
	if err := keys.ParseWrapped(wrapped); err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	h := sha256.New()
	size, err := io.Copy(h, src)
	if err != nil {
		return fmt.Errorf("write backup: read database copy: %w", err)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	hdr := Header{Station: k.Station, CreatedAt: now.UTC(), Salt: make([]byte, saltSize), PlainSize: size,
		PlainSHA256: hex.EncodeToString(h.Sum(nil)), WrappedKeys: wrapped}
	if _, err := rand.Read(hdr.Salt); err != nil {
		return fmt.Errorf("write backup: salt: %w", err)
	}
	hb, err := json.Marshal(hdr)
	if err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	if len(hb) > maxHeader {
		return fmt.Errorf("write backup: header of %d bytes is too large", len(hb))
	}
	pre := append([]byte(Magic), binary.BigEndian.AppendUint32(nil, uint32(len(hb)))...)
	if _, err := w.Write(append(pre, hb...)); err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	g := chunkAEAD(k, hdr.Salt)
	hsum := headerSum(pre, hb)
	buf := make([]byte, ChunkSize)
	var ct []byte
	for idx := uint64(0); ; idx++ {
		n, err := io.ReadFull(src, buf)
		final := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !final {
			return fmt.Errorf("write backup: read database copy: %w", err)
		}
		ct = g.Seal(ct[:0], nonce(idx), buf[:n], chunkAD(hsum, idx, final))
		if _, err := w.Write(binary.BigEndian.AppendUint32(nil, uint32(len(ct)))); err != nil {
			return fmt.Errorf("write backup: %w", err)
		}
		if _, err := w.Write(ct); err != nil {
			return fmt.Errorf("write backup: %w", err)
		}
		if final {
			return nil
		}
	}
}

// ReadHeader reads and checks the magic and header at the start of r.
func ReadHeader(r io.Reader) (*Header, []byte, error) {
	pre := make([]byte, len(Magic)+4)
	if _, err := io.ReadFull(r, pre); err != nil {
		return nil, nil, fmt.Errorf("%w: too short for a header", ErrFormat)
	}
	if string(pre[:len(Magic)-1]) != Magic[:len(Magic)-1] {
		return nil, nil, fmt.Errorf("%w: wrong magic", ErrFormat)
	}
	if pre[len(Magic)-1] != Magic[len(Magic)-1] {
		return nil, nil, fmt.Errorf("%w: format version %d, this program reads %d", ErrFormat, pre[len(Magic)-1], Magic[len(Magic)-1])
	}
	hlen := binary.BigEndian.Uint32(pre[len(Magic):])
	if hlen == 0 || hlen > maxHeader {
		return nil, nil, fmt.Errorf("%w: header length %d outside 1..%d", ErrFormat, hlen, maxHeader)
	}
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(r, hb); err != nil {
		return nil, nil, fmt.Errorf("%w: header cut off", ErrFormat)
	}
	var h Header
	dec := json.NewDecoder(bytes.NewReader(hb))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, nil, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	switch {
	case h.Station == "":
		return nil, nil, fmt.Errorf("%w: header has no station", ErrFormat)
	case len(h.Salt) != saltSize:
		return nil, nil, fmt.Errorf("%w: salt of %d bytes", ErrFormat, len(h.Salt))
	case h.PlainSize < 0:
		return nil, nil, fmt.Errorf("%w: negative size", ErrFormat)
	case len(h.PlainSHA256) != 64:
		return nil, nil, fmt.Errorf("%w: bad plaintext hash", ErrFormat)
	}
	if err := keys.ParseWrapped(h.WrappedKeys); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return &h, headerSum(pre, hb), nil
}

// Decrypt reads the chunks after the header and writes the database copy to
// dst. hsum is ReadHeader's second result. Nothing written to dst may be
// trusted unless Decrypt returns nil: the caller writes to a temp file.
func Decrypt(r io.Reader, h *Header, hsum []byte, k *keys.Keys, dst io.Writer) error {
	if k.Station != h.Station {
		return fmt.Errorf("backup is of station %q, keys are of %q", h.Station, k.Station)
	}
	g := chunkAEAD(k, h.Salt)
	sum := sha256.New()
	var size int64
	ct := make([]byte, 0, ChunkSize+g.Overhead())
	var plain []byte
	for idx := uint64(0); ; idx++ {
		var lb [4]byte
		if _, err := io.ReadFull(r, lb[:]); err != nil {
			return fmt.Errorf("%w: cut off before chunk %d", ErrTampered, idx)
		}
		clen := binary.BigEndian.Uint32(lb[:])
		if clen < uint32(g.Overhead()) || clen > uint32(ChunkSize+g.Overhead()) {
			return fmt.Errorf("%w: chunk %d length %d out of range", ErrTampered, idx, clen)
		}
		ct = ct[:clen]
		if _, err := io.ReadFull(r, ct); err != nil {
			return fmt.Errorf("%w: chunk %d cut off", ErrTampered, idx)
		}
		var err error
		final := false
		if plain, err = g.Open(plain[:0], nonce(idx), ct, chunkAD(hsum, idx, false)); err != nil {
			if plain, err = g.Open(plain[:0], nonce(idx), ct, chunkAD(hsum, idx, true)); err != nil {
				return fmt.Errorf("%w: chunk %d", ErrTampered, idx)
			}
			final = true
		}
		size += int64(len(plain))
		if size > h.PlainSize {
			return fmt.Errorf("%w: more data than the header's %d bytes", ErrTampered, h.PlainSize)
		}
		sum.Write(plain)
		if _, err := dst.Write(plain); err != nil {
			return fmt.Errorf("restore: write: %w", err)
		}
		if final {
			break
		}
	}
	if _, err := io.ReadFull(r, make([]byte, 1)); err == nil {
		return fmt.Errorf("%w: data after the final chunk", ErrTampered)
	}
	if size != h.PlainSize || hex.EncodeToString(sum.Sum(nil)) != h.PlainSHA256 {
		return fmt.Errorf("%w: size or SHA-256 differs from the header", ErrTampered)
	}
	return nil
}

func chunkAEAD(k *keys.Keys, salt []byte) cipher.AEAD {
	b, err := aes.NewCipher(k.Derive("backup", salt))
	if err != nil {
		panic("backup: aes: " + err.Error()) // the derived key is 32 bytes
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic("backup: gcm: " + err.Error())
	}
	return g
}

func headerSum(pre, hb []byte) []byte {
	h := sha256.New()
	h.Write(pre)
	h.Write(hb)
	return h.Sum(nil)
}

func nonce(idx uint64) []byte {
	n := make([]byte, 12)
	binary.BigEndian.PutUint64(n[4:], idx)
	return n
}

func chunkAD(hsum []byte, idx uint64, final bool) []byte {
	ad := binary.BigEndian.AppendUint64(append([]byte(nil), hsum...), idx)
	if final {
		return append(ad, 1)
	}
	return append(ad, 0)
}
