package receipt

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/nik"
)

// bi is a text in Bahasa Indonesia with its English subtitle.
type bi struct{ id, en string }

// stateTexts name the states a resident may see on a receipt.
var stateTexts = map[enroll.State]bi{
	enroll.Draft:                  {"Perekaman belum selesai", "Recording not finished"},
	enroll.BioCaptured:            {"Menunggu persetujuan supervisor", "Awaiting a supervisor's approval"},
	enroll.Review:                 {"Menunggu pemeriksaan duplikasi", "Awaiting a duplicate check"},
	enroll.Approved:               {"Disetujui, menunggu pengiriman", "Approved, waiting to be sent"},
	enroll.Rejected:               {"Ditolak, perlu perekaman ulang", "Rejected, needs recording again"},
	enroll.Processing:             {"Disegel, menunggu pengiriman ke pusat", "Sealed, waiting to be sent to the centre"},
	enroll.SentForEnrollment:      {"Sedang dikirim ke pusat", "Being sent to the centre"},
	enroll.ReceivedAtCentral:      {"Diterima di pusat", "Received at the centre"},
	enroll.PrintReadyRecord:       {"Siap cetak KTP-el", "Ready for card printing"},
	enroll.DuplicateRecord:        {"Terdeteksi duplikat di pusat", "Duplicate found at the centre"},
	enroll.AdjudicateRecord:       {"Dalam pemeriksaan di pusat", "Under adjudication at the centre"},
	enroll.EnrollFailureAtCentral: {"Pusat meminta perekaman ulang", "The centre asks for a new recording"},
	enroll.SearchFailureAtCentral: {"Pemeriksaan di pusat gagal, diulang", "Check at the centre failed, being retried"},
	enroll.SentForCardPrinting:    {"Dikirim untuk pencetakan kartu", "Sent for card printing"},
	enroll.CardPrinted:            {"KTP-el sudah dicetak", "Card printed"},
	enroll.CardShipped:            {"KTP-el dalam pengiriman", "Card shipped"},
	enroll.CardIssued:             {"KTP-el sudah diserahkan", "Card issued"},
	enroll.Voided:                 {"Dibatalkan", "Voided"},
}

// fingerTexts name the ten finger positions.
var fingerTexts = [10]bi{
	{"ibu jari kanan", "right thumb"}, {"telunjuk kanan", "right index"}, {"jari tengah kanan", "right middle"},
	{"jari manis kanan", "right ring"}, {"kelingking kanan", "right little"},
	{"ibu jari kiri", "left thumb"}, {"telunjuk kiri", "left index"}, {"jari tengah kiri", "left middle"},
	{"jari manis kiri", "left ring"}, {"kelingking kiri", "left little"},
}

// irisTexts name the two eyes.
var irisTexts = [2]bi{{"mata kanan", "right eye"}, {"mata kiri", "left eye"}}

// exceptionTexts name the capture exceptions.
var exceptionTexts = map[string]bi{
	"missing":   {"tidak ada", "missing"},
	"amputated": {"diamputasi", "amputated"},
	"bandaged":  {"diperban", "bandaged"},
	"blind":     {"tidak dapat direkam", "cannot be captured"},
}

func exceptionText(code string) bi {
	if t, ok := exceptionTexts[code]; ok {
		return t
	}
	return bi{"pengecualian", "exception"}
}

// Page geometry (millimetres, A5 portrait).
const (
	pageW, margin = 148.0, 12.0
	textW         = pageW - 2*margin
	labelW        = 46.0
	valueW        = textW - labelW
)

// Render writes r as a one-page A5 PDF. The output depends only on r: the
// creation date is r.PrintedAt, the streams are not compressed and no
// metadata names the resident.
func Render(r Receipt) ([]byte, error) {
	p := fpdf.New("P", "mm", "A5", "")
	p.SetCreationDate(r.PrintedAt)
	p.SetModificationDate(r.PrintedAt)
	p.SetCompression(false)
	p.SetCatalogSort(true)
	p.SetProducer("Rekam", false)
	p.SetTitle("Tanda Terima Perekaman KTP-el", false)
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(false, margin)
	tr := p.UnicodeTranslatorFromDescriptor("")
	w := &writer{p: p, tr: tr}
	p.AddPage()

	w.heading(bi{"TANDA TERIMA PEREKAMAN KTP-el", "Receipt of KTP-el (electronic ID card) recording"}, 14, "C")
	w.rule()

	kec := r.Kecamatan
	if r.KecamatanName != "" {
		kec = r.KecamatanName + " (" + r.Kecamatan + ")"
	}
	w.row(bi{"Nomor perekaman", "Enrollment number"}, r.Number, "")
	w.row(bi{"NIK", "National ID number (masked)"}, nik.Mask(r.NIK), "")
	w.row(bi{"Nama", "Name"}, r.Name, "")
	w.row(bi{"Waktu perekaman", "Recorded at"}, r.RecordedAt.Format("02-01-2006 15:04 MST"), "")
	w.row(bi{"Kecamatan", "Sub-district"}, kec, "")
	w.row(bi{"Stasiun perekaman", "Recording station"}, r.StationID, "")
	w.row(bi{"Petugas", "Operator"}, r.Operator, "")
	st, ok := stateTexts[r.State]
	if !ok {
		st = bi{string(r.State), string(r.State)}
	}
	w.row(bi{"Status", "State"}, st.id, st.en)
	w.rule()

	w.heading(bi{"Data biometrik yang direkam", "Biometrics recorded"}, 10, "L")
	p.Ln(1)
	w.captures(r.Captured)
	w.rule()

	p.SetFont("Helvetica", "B", 10)
	p.CellFormat(labelW, 6, "Kode verifikasi", "", 0, "L", false, 0, "")
	p.SetFont("Courier", "B", 14)
	p.CellFormat(valueW, 6, r.Code, "", 1, "L", false, 0, "")
	p.SetFont("Helvetica", "I", 7)
	p.SetTextColor(90, 90, 90)
	p.CellFormat(labelW, 3.5, "Verification code", "", 0, "L", false, 0, "")
	p.CellFormat(valueW, 3.5, "Dicetak / Printed: "+r.PrintedAt.Format("02-01-2006 15:04 MST"), "", 1, "R", false, 0, "")
	p.SetTextColor(0, 0, 0)
	p.Ln(2)
	w.para("Simpan tanda terima ini sampai KTP-el Anda diserahkan dan tunjukkan saat mengambilnya. "+
		"Status perekaman dapat ditanyakan di kantor kecamatan dengan nomor perekaman di atas.",
		"Keep this receipt until your KTP-el is handed to you and show it when you collect the card. "+
			"Ask at the kecamatan office about the recording with the enrollment number above.")

	// Signatures: the operator's and the resident's.
	y := p.GetY() + 3
	p.SetY(y)
	half := textW / 2
	p.SetFont("Helvetica", "", 9)
	p.CellFormat(half, 5, tr("Petugas perekaman"), "", 0, "C", false, 0, "")
	p.CellFormat(half, 5, tr("Penduduk"), "", 1, "C", false, 0, "")
	p.SetFont("Helvetica", "I", 7)
	p.SetTextColor(90, 90, 90)
	p.CellFormat(half, 4, "Recording operator", "", 0, "C", false, 0, "")
	p.CellFormat(half, 4, "Resident", "", 1, "C", false, 0, "")
	p.SetTextColor(0, 0, 0)
	p.Line(margin+8, y+17, margin+half-8, y+17)
	p.Line(margin+half+8, y+17, pageW-margin-8, y+17)
	p.SetY(y + 18)
	p.SetFont("Helvetica", "", 8)
	p.CellFormat(half, 4, tr("("+r.Operator+")"), "", 0, "C", false, 0, "")
	p.CellFormat(half, 4, tr("("+r.Name+")"), "", 1, "C", false, 0, "")

	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		return nil, fmt.Errorf("render receipt of enrollment %d: %w", r.EnrollmentID, err)
	}
	return b.Bytes(), nil
}

// writer draws the receipt's repeated parts.
type writer struct {
	p  *fpdf.Fpdf
	tr func(string) string
}

// rule draws a horizontal line with some room around it.
func (w *writer) rule() {
	w.p.Ln(1.5)
	y := w.p.GetY()
	w.p.SetDrawColor(150, 150, 150)
	w.p.Line(margin, y, pageW-margin, y)
	w.p.SetDrawColor(0, 0, 0)
	w.p.Ln(1.5)
}

// row writes a label (its English subtitle below) and a value (with an
// optional English gloss below).
func (w *writer) row(label bi, value, valueEN string) {
	p := w.p
	y := p.GetY()
	p.SetFont("Helvetica", "I", 7)
	p.SetTextColor(90, 90, 90)
	p.SetXY(margin, y+4.2)
	p.CellFormat(labelW, 3.5, label.en, "", 0, "L", false, 0, "")
	p.SetXY(margin, y)
	p.SetTextColor(0, 0, 0)
	p.SetFont("Helvetica", "B", 9)
	p.CellFormat(labelW, 4.5, label.id, "", 0, "L", false, 0, "")
	p.SetFont("Helvetica", "", 10)
	p.MultiCell(valueW, 4.5, w.tr(value), "", "L", false)
	if valueEN != "" {
		p.SetX(margin + labelW)
		p.SetFont("Helvetica", "I", 7)
		p.SetTextColor(90, 90, 90)
		p.MultiCell(valueW, 3.2, valueEN, "", "L", false)
		p.SetTextColor(0, 0, 0)
	}
	p.SetY(max(p.GetY(), y+7.7) + 0.5)
}

// heading writes a bold Indonesian title of size points over its grey
// italic English subtitle.
func (w *writer) heading(t bi, size float64, align string) {
	w.p.SetFont("Helvetica", "B", size)
	w.p.CellFormat(textW, size/2, t.id, "", 1, align, false, 0, "")
	w.p.SetFont("Helvetica", "I", size*0.65)
	w.p.SetTextColor(90, 90, 90)
	w.p.CellFormat(textW, size*0.35, t.en, "", 1, align, false, 0, "")
	w.p.SetTextColor(0, 0, 0)
}

// para writes an Indonesian paragraph and its English translation.
func (w *writer) para(id, en string) {
	w.p.SetFont("Helvetica", "", 8)
	w.p.MultiCell(textW, 4, id, "", "L", false)
	w.p.SetFont("Helvetica", "I", 7)
	w.p.SetTextColor(90, 90, 90)
	w.p.MultiCell(textW, 3.5, en, "", "L", false)
	w.p.SetTextColor(0, 0, 0)
}

// captures writes the capture summary: counts and every exception.
func (w *writer) captures(c Captured) {
	if c.Purged {
		w.row(bi{"Biometrik", "Biometrics"}, "Terkirim ke pusat; salinan di stasiun sudah dihapus",
			"Sent to the centre; the station's copy has been removed")
		return
	}
	id, en := countText(Count(c.Fingers[:]), 10, exceptions(c.Fingers[:], fingerTexts[:]))
	w.row(bi{"Sidik jari", "Fingerprints"}, id, en)
	id, en = countText(Count(c.Irises[:]), 2, exceptions(c.Irises[:], irisTexts[:]))
	w.row(bi{"Iris mata", "Irises"}, id, en)
	face := bi{"direkam", "captured"}
	if !c.Face.Captured {
		face = bi{"tidak direkam", "not captured"}
	}
	w.row(bi{"Foto wajah", "Face photo"}, face.id, face.en)
	sign := bi{"direkam", "captured"}
	switch {
	case c.Signature.Exception == CannotSign:
		sign = bi{"tidak dapat menandatangani", "cannot sign"}
	case !c.Signature.Captured:
		sign = bi{"tidak direkam", "not captured"}
	}
	w.row(bi{"Tanda tangan", "Signature"}, sign.id, sign.en)
}

// exceptions lists the items that were not captured, with their reasons.
func exceptions(items []Status, names []bi) []bi {
	var out []bi
	for i, s := range items {
		switch {
		case s.Captured:
		case s.Exception != "":
			e := exceptionText(s.Exception)
			out = append(out, bi{names[i].id + " (" + e.id + ")", names[i].en + " (" + e.en + ")"})
		default:
			out = append(out, bi{names[i].id + " (belum direkam)", names[i].en + " (not recorded)"})
		}
	}
	return out
}

// countText spells "n of total captured" with the exceptions after it.
func countText(n, total int, exc []bi) (string, string) {
	id := fmt.Sprintf("%d dari %d direkam", n, total)
	en := fmt.Sprintf("%d of %d captured", n, total)
	if len(exc) > 0 {
		var ids, ens []string
		for _, e := range exc {
			ids, ens = append(ids, e.id), append(ens, e.en)
		}
		id += "; pengecualian: " + strings.Join(ids, ", ")
		en += "; exceptions: " + strings.Join(ens, ", ")
	}
	return id, en
}
