package packet

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hpke"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// magic opens every sealed packet file.
var magic = []byte("RKMPKT1\n")

// chunkSize is the plaintext size of one HPKE-sealed chunk.
const chunkSize = 64 << 10

// gcmTagSize is the AES-256-GCM authentication tag each chunk carries.
const gcmTagSize = 16

// signContext is prefixed to the manifest before signing, so a manifest
// signature can never be confused with any other Ed25519 signature the
// station makes.
const signContext = "rekam packet manifest v1\x00"

// KEM is the packet's key encapsulation: hybrid ML-KEM-768 + X25519, so
// packets recorded today stay confidential against a future quantum
// adversary while X25519 still guards against a flaw in ML-KEM.
func KEM() hpke.KEM { return hpke.MLKEM768X25519() }

func suite() (hpke.KDF, hpke.AEAD) { return hpke.HKDFSHA256(), hpke.AES256GCM() }

// KeyID is the SHA-256 of a recipient public key; packets name their
// recipient by it.
func KeyID(pk hpke.PublicKey) [32]byte { return sha256.Sum256(pk.Bytes()) }

// File is one payload file of a packet.
type File struct {
	Name string
	Type string
	Data []byte
}

// Contents is an opened, verified packet.
type Contents struct {
	Manifest *Manifest
	// StationKey is the Ed25519 key that signed the manifest.
	StationKey ed25519.PublicKey
	Files      []File
}

// Seal binds files to m (filling m.Files), signs the manifest with the
// station key and encrypts everything to the recipient. It returns the
// sealed bytes and their SHA-256 in hex, the packet's content name.
func Seal(m Manifest, files []File, station ed25519.PrivateKey, recipient hpke.PublicKey) ([]byte, string, error) {
	m.Files = m.Files[:0:0]
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		m.Files = append(m.Files, FileEntry{Name: f.Name, Type: f.Type, Size: int64(len(f.Data)), SHA256: hex.EncodeToString(sum[:])})
	}
	if err := m.Validate(); err != nil {
		return nil, "", fmt.Errorf("seal: %w", err)
	}
	mj, err := json.Marshal(&m)
	if err != nil {
		return nil, "", fmt.Errorf("seal: encode manifest: %w", err)
	}
	sig := ed25519.Sign(station, append([]byte(signContext), mj...))

	var inner bytes.Buffer
	writeU32(&inner, uint32(len(mj)))
	inner.Write(mj)
	inner.Write(sig)
	inner.Write(station.Public().(ed25519.PublicKey))
	for _, f := range files {
		inner.Write(f.Data)
	}
	if inner.Len() > MaxPacketSize {
		return nil, "", fmt.Errorf("seal: packet of %d bytes exceeds %d", inner.Len(), MaxPacketSize)
	}

	kid := KeyID(recipient)
	kdf, aead := suite()
	enc, sender, err := hpke.NewSender(recipient, kdf, aead, info(kid))
	if err != nil {
		return nil, "", fmt.Errorf("seal: hpke sender: %w", err)
	}
	var out bytes.Buffer
	out.Write(magic)
	out.Write(kid[:])
	writeU16(&out, uint16(len(enc)))
	out.Write(enc)
	pt := inner.Bytes()
	for i := uint64(0); ; i++ {
		n := min(chunkSize, len(pt))
		final := n == len(pt)
		ct, err := sender.Seal(chunkAAD(i, final), pt[:n])
		if err != nil {
			return nil, "", fmt.Errorf("seal: chunk %d: %w", i, err)
		}
		writeU32(&out, uint32(len(ct)))
		out.Write(ct)
		pt = pt[n:]
		if final {
			break
		}
	}
	sum := sha256.Sum256(out.Bytes())
	return out.Bytes(), hex.EncodeToString(sum[:]), nil
}

// TrustFunc decides whether a station's signing key may sign packets for
// stationID; it returns an error saying why not.
type TrustFunc func(stationID string, key ed25519.PublicKey) error

// Open decrypts a sealed packet with the recipient's private key, checks
// the manifest signature, asks trust whether the signer speaks for the
// manifest's station, and checks every file against its hash. Any failure
// is an *Error naming the failing part.
func Open(sealed []byte, recipient hpke.PrivateKey, trust TrustFunc) (*Contents, error) {
	if len(sealed) > MaxPacketSize+MaxPacketSize/chunkSize*64+4096 {
		return nil, &Error{Part: PartFraming, Reason: fmt.Sprintf("%d bytes is larger than any packet", len(sealed))}
	}
	r := bytes.NewReader(sealed)
	head := make([]byte, len(magic)+32+2)
	if _, err := io.ReadFull(r, head); err != nil || !bytes.Equal(head[:len(magic)], magic) {
		return nil, &Error{Part: PartFraming, Reason: "not a Rekam packet (bad magic or too short)"}
	}
	var kid [32]byte
	copy(kid[:], head[len(magic):])
	if want := KeyID(recipient.PublicKey()); kid != want {
		return nil, &Error{Part: PartRecipient, Reason: "sealed to key " + hex.EncodeToString(kid[:8]) + "…, not to this server's key " + hex.EncodeToString(want[:8]) + "…"}
	}
	encLen := int(binary.BigEndian.Uint16(head[len(head)-2:]))
	enc := make([]byte, encLen)
	if _, err := io.ReadFull(r, enc); err != nil {
		return nil, &Error{Part: PartFraming, Reason: "truncated in the encapsulated key"}
	}
	kdf, aead := suite()
	rc, err := hpke.NewRecipient(enc, recipient, kdf, aead, info(kid))
	if err != nil {
		return nil, &Error{Part: PartDecrypt, Reason: "encapsulated key: " + err.Error()}
	}
	var inner bytes.Buffer
	for i := uint64(0); ; i++ {
		var lb [4]byte
		if _, err := io.ReadFull(r, lb[:]); err != nil {
			return nil, &Error{Part: PartFraming, Reason: fmt.Sprintf("truncated before chunk %d", i)}
		}
		n := int(binary.BigEndian.Uint32(lb[:]))
		if n > chunkSize+gcmTagSize || n > r.Len() {
			return nil, &Error{Part: PartFraming, Reason: fmt.Sprintf("chunk %d: length %d out of range", i, n)}
		}
		ct := sealed[len(sealed)-r.Len() : len(sealed)-r.Len()+n]
		if _, err := r.Seek(int64(n), io.SeekCurrent); err != nil {
			return nil, &Error{Part: PartFraming, Reason: err.Error()}
		}
		final := r.Len() == 0
		pt, err := rc.Open(chunkAAD(i, final), ct)
		if err != nil {
			return nil, &Error{Part: PartDecrypt, Reason: fmt.Sprintf("chunk %d does not authenticate (tampered, reordered or truncated)", i)}
		}
		inner.Write(pt)
		if final {
			break
		}
	}
	return parseInner(inner.Bytes(), trust)
}

func parseInner(b []byte, trust TrustFunc) (*Contents, error) {
	if len(b) < 4 {
		return nil, &Error{Part: PartFraming, Reason: "no manifest length"}
	}
	mlen := int(binary.BigEndian.Uint32(b))
	b = b[4:]
	if mlen > MaxManifestSize || mlen+ed25519.SignatureSize+ed25519.PublicKeySize > len(b) {
		return nil, &Error{Part: PartFraming, Reason: fmt.Sprintf("manifest length %d out of range", mlen)}
	}
	mj := b[:mlen]
	sig := b[mlen : mlen+ed25519.SignatureSize]
	key := ed25519.PublicKey(bytes.Clone(b[mlen+ed25519.SignatureSize : mlen+ed25519.SignatureSize+ed25519.PublicKeySize]))
	b = b[mlen+ed25519.SignatureSize+ed25519.PublicKeySize:]
	if !ed25519.Verify(key, append([]byte(signContext), mj...), sig) {
		return nil, &Error{Part: PartSignature, Reason: "manifest signature does not verify"}
	}
	m, err := ParseManifest(mj)
	if err != nil {
		return nil, err
	}
	if trust != nil {
		if err := trust(m.StationID, key); err != nil {
			return nil, &Error{Part: PartSigner, Reason: err.Error()}
		}
	}
	c := &Contents{Manifest: m, StationKey: key}
	for _, fe := range m.Files {
		if int64(len(b)) < fe.Size {
			return nil, &Error{Part: PartHash, Reason: fmt.Sprintf("file %q: %d bytes missing", fe.Name, fe.Size-int64(len(b)))}
		}
		data := b[:fe.Size]
		b = b[fe.Size:]
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != fe.SHA256 {
			return nil, &Error{Part: PartHash, Reason: fmt.Sprintf("file %q does not match its SHA-256", fe.Name)}
		}
		c.Files = append(c.Files, File{Name: fe.Name, Type: fe.Type, Data: data})
	}
	if len(b) != 0 {
		return nil, &Error{Part: PartFraming, Reason: fmt.Sprintf("%d bytes after the last file", len(b))}
	}
	return c, nil
}

// Name returns the content name of sealed bytes: their SHA-256 in hex.
func Name(sealed []byte) string {
	sum := sha256.Sum256(sealed)
	return hex.EncodeToString(sum[:])
}

// IsError reports whether err is a packet verification error of part p.
func IsError(err error, p Part) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Part == p
}

func info(kid [32]byte) []byte { return append([]byte("rekam packet v1 "), kid[:]...) }

func chunkAAD(i uint64, final bool) []byte {
	a := make([]byte, 9)
	binary.BigEndian.PutUint64(a, i)
	if final {
		a[8] = 1
	}
	return a
}

func writeU32(b *bytes.Buffer, v uint32) { b.Write(binary.BigEndian.AppendUint32(nil, v)) }
func writeU16(b *bytes.Buffer, v uint16) { b.Write(binary.BigEndian.AppendUint16(nil, v)) }
