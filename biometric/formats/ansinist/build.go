package ansinist

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Enrollment is the plain input of an enrollment transaction: who sends it,
// the biodata as Type-2 fields, and the captured images, each already
// encoded (WSQ fingers, JPEG or PNG face, PNG irises).
type Enrollment struct {
	// TransactionType is 1.004 TOT, e.g. "KTP".
	TransactionType string
	// Destination (1.007 DAI) and Origin (1.008 ORI) agency identifiers.
	Destination, Origin string
	// ControlNumber is 1.009 TCN, unique per transaction.
	ControlNumber string
	// Time is the transaction time (1.005 DAT, 1.014 GMT).
	Time time.Time
	// Domain is 1.013 DOM (name and version), default "NORAM".
	Domain string
	// Biodata holds the Type-2 fields (tag ≥ 3) the receiving system defines.
	Biodata []Field
	Fingers []FingerImage
	Face    *FaceImage
	Irises  []IrisImage
	// Signature, if present, is written as a binary Type-8 record.
	Signature *SignatureImage
}

// FingerImage is one Type-14 finger image.
type FingerImage struct {
	// Position is the finger position code (1 right thumb … 10 left little).
	Position int
	// Impression is the impression type (0 live-scan plain, 1 live-scan rolled).
	Impression int
	// WSQ is the compressed image; Width, Height and PPI describe it.
	WSQ           []byte
	Width, Height int
	PPI           int
	// Quality, 0-100, is written as a finger quality metric when > 0.
	Quality int
}

// FaceImage is one Type-10 face image.
type FaceImage struct {
	// Data is the encoded image; Format its compression: "JPEGB" or "PNG".
	Data          []byte
	Format        string
	Width, Height int
	// ColourSpace is 10.012 CSP: "SRGB", "GRAY" …
	ColourSpace string
	// Profile is 10.013 SAP, the subject acquisition profile (default 1,
	// unknown profile).
	Profile int
}

// IrisImage is one Type-17 iris image.
type IrisImage struct {
	// Eye is 1 for the right eye, 2 for the left, 0 undefined.
	Eye int
	// Data is the encoded image; Format its compression, e.g. "PNG".
	Data          []byte
	Format        string
	Width, Height int
	PPI           int
}

// SignatureImage is one Type-8 signature: a scanned raster (Representation
// 0) or pen vectors (2, Data from EncodeVectors).
type SignatureImage struct {
	Official       bool
	Representation uint8
	Width, Height  int
	Data           []byte
}

// Build assembles the transaction: Type-1, Type-2 with the biodata, Type-14
// fingers, Type-10 face, Type-17 irises and Type-8 signature, IDCs counting
// from 1 after the Type-2 record's 0.
func Build(e *Enrollment) (*Transaction, error) {
	if e.TransactionType == "" || e.Origin == "" || e.ControlNumber == "" {
		return nil, errors.New("ansinist: transaction type, origin and control number are required")
	}
	ts := e.Time.UTC()
	date := ts.Format("20060102")
	dom := e.Domain
	if dom == "" {
		dom = "NORAM"
	}
	t1 := &Record{Type: 1}
	t1.SetText(2, "0500")
	t1.SetText(4, e.TransactionType)
	t1.SetText(5, date)
	t1.SetText(7, e.Destination)
	t1.SetText(8, e.Origin)
	t1.SetText(9, e.ControlNumber)
	t1.SetText(11, "00.00")
	t1.SetText(12, "00.00")
	t1.SetText(13, dom+string(rune(US)))
	t1.SetText(14, ts.Format("20060102150405Z"))
	t2 := &Record{Type: 2}
	t2.SetText(2, "00")
	for _, f := range e.Biodata {
		if f.Tag < 3 || f.Tag > 999 {
			return nil, fmt.Errorf("ansinist: biodata field 2.%03d out of range", f.Tag)
		}
		t2.Set(f.Tag, f.Value)
	}
	tx := &Transaction{Records: []*Record{t1, t2}}
	idc := 1
	nextIDC := func() string { s := fmt.Sprintf("%02d", idc); idc++; return s }
	for i, f := range e.Fingers {
		if f.Position < 0 || f.Position > 20 || len(f.WSQ) == 0 || f.Width <= 0 || f.Height <= 0 {
			return nil, fmt.Errorf("ansinist: finger %d: position %d, %d bytes, %dx%d", i+1, f.Position, len(f.WSQ), f.Width, f.Height)
		}
		r := imageRecord(14, nextIDC(), e.Origin, date, f.Width, f.Height, f.PPI, "WSQ20", f.WSQ)
		r.SetText(3, strconv.Itoa(f.Impression))
		r.SetText(12, "8")
		r.SetText(13, strconv.Itoa(f.Position))
		if f.Quality > 0 {
			r.SetText(24, JoinSubfields([][]string{{strconv.Itoa(f.Position), strconv.Itoa(min(f.Quality, 100)), "0", "0"}}))
		}
		tx.Records = append(tx.Records, r)
	}
	if f := e.Face; f != nil {
		if len(f.Data) == 0 || f.Format == "" {
			return nil, errors.New("ansinist: face image without data or format")
		}
		r := imageRecord(10, nextIDC(), e.Origin, date, f.Width, f.Height, 0, f.Format, f.Data)
		r.SetText(3, "FACE")
		cs := f.ColourSpace
		if cs == "" {
			cs = "SRGB"
		}
		r.SetText(12, cs)
		r.SetText(13, strconv.Itoa(max(f.Profile, 1)))
		tx.Records = append(tx.Records, r)
	}
	for i, ir := range e.Irises {
		if len(ir.Data) == 0 || ir.Format == "" || ir.Eye < 0 || ir.Eye > 2 {
			return nil, fmt.Errorf("ansinist: iris %d: eye %d, %d bytes, format %q", i+1, ir.Eye, len(ir.Data), ir.Format)
		}
		r := imageRecord(17, nextIDC(), e.Origin, date, ir.Width, ir.Height, ir.PPI, ir.Format, ir.Data)
		r.SetText(3, strconv.Itoa(ir.Eye))
		r.SetText(12, "8")
		r.SetText(13, "GRAY")
		tx.Records = append(tx.Records, r)
	}
	if s := e.Signature; s != nil {
		if s.Width < 0 || s.Width > 0xFFFF || s.Height < 0 || s.Height > 0xFFFF {
			return nil, fmt.Errorf("ansinist: signature %dx%d", s.Width, s.Height)
		}
		b := &BinaryRecord{IDC: uint8(idc), Representation: s.Representation, ScanResolution: 1,
			Width: uint16(s.Width), Height: uint16(s.Height), Data: s.Data}
		if s.Official {
			b.SignatureType = 1
		}
		tx.Records = append(tx.Records, &Record{Type: 8, Binary: b})
	}
	if idc > 100 {
		return nil, fmt.Errorf("ansinist: %d image records, at most 99", idc-1)
	}
	if err := tx.SetContents(); err != nil {
		return nil, err
	}
	return tx, nil
}

// imageRecord fills the fields Type-10, -14 and -17 share: IDC, source
// agency, capture date, size, scale and compression, with the data last.
func imageRecord(typ int, idc, src, date string, w, h, ppi int, cga string, data []byte) *Record {
	r := &Record{Type: typ}
	r.SetText(2, idc)
	r.SetText(4, src)
	r.SetText(5, date)
	r.SetText(6, strconv.Itoa(w))
	r.SetText(7, strconv.Itoa(h))
	if ppi > 0 {
		r.SetText(8, "1") // pixels per inch
		r.SetText(9, strconv.Itoa(ppi))
		r.SetText(10, strconv.Itoa(ppi))
	} else {
		r.SetText(8, "0") // aspect ratio only
		r.SetText(9, "1")
		r.SetText(10, "1")
	}
	r.SetText(11, cga)
	r.Set(999, data)
	return r
}
