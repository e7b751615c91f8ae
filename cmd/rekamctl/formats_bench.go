package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/image/tiff"

	"github.com/rekam-ktp/rekam/biometric/formats/wsq"
	"github.com/rekam-ktp/rekam/internal/shareddata"
)

type formatsDecodeRow struct {
	File     string  `json:"file"`
	Width    int     `json:"width"`
	Height   int     `json:"height"`
	MeanDiff float64 `json:"mean_abs_diff"`
	MaxDiff  int     `json:"max_abs_diff"`
	Differ   float64 `json:"pixels_differing"`
	DecodeMS float64 `json:"decode_ms"`
}

type formatsCompressRow struct {
	Set      string  `json:"set"`
	Images   int     `json:"images"`
	Bitrate  float64 `json:"target_bpp"`
	BPP      float64 `json:"mean_bpp"`
	Ratio    float64 `json:"mean_ratio"`
	PSNR     float64 `json:"mean_psnr_db"`
	MinPSNR  float64 `json:"min_psnr_db"`
	EncodeMS float64 `json:"mean_encode_ms"`
	DecodeMS float64 `json:"mean_decode_ms"`
}

// formatsDecodeRefs decodes the NIST WSQ files and compares them with
// their reference PNG decodes.
func formatsDecodeRefs(dir string) ([]formatsDecodeRow, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.wsq"))
	sort.Slice(files, func(i, j int) bool { return formatsNatural(files[i]) < formatsNatural(files[j]) })
	var rows []formatsDecodeRow
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		pf, err := os.Open(strings.TrimSuffix(f, ".wsq") + ".png")
		if err != nil {
			continue
		}
		ref, _, err := image.Decode(pf)
		pf.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		t0 := time.Now()
		got, in, err := wsq.DecodeBytes(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		ms := time.Since(t0).Seconds() * 1000
		rg := wsq.Gray(ref)
		if rg.Rect.Dx() != in.Width || rg.Rect.Dy() != in.Height {
			return nil, fmt.Errorf("%s: %dx%d, reference %v", f, in.Width, in.Height, rg.Rect)
		}
		sum, maxd, differ := 0, 0, 0
		for y := range in.Height {
			for x := range in.Width {
				d := int(got.Pix[y*got.Stride+x]) - int(rg.Pix[y*rg.Stride+x])
				d = max(d, -d)
				sum += d
				maxd = max(maxd, d)
				if d != 0 {
					differ++
				}
			}
		}
		n := float64(in.Width * in.Height)
		rows = append(rows, formatsDecodeRow{filepath.Base(f), in.Width, in.Height, float64(sum) / n, maxd, float64(differ) / n, round2(ms)})
	}
	return rows, nil
}

// formatsNatural sorts fp-2 before fp-10.
func formatsNatural(s string) string {
	var b strings.Builder
	digits := ""
	for _, r := range s + "\x00" {
		if r >= '0' && r <= '9' {
			digits += string(r)
			continue
		}
		if digits != "" {
			fmt.Fprintf(&b, "%08s", digits)
			digits = ""
		}
		if r != 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// formatsCompressSet encodes every TIFF of one FVC folder.
func formatsCompressSet(dir string, rate float64, limit int) (formatsCompressRow, error) {
	row := formatsCompressRow{Set: filepath.Base(dir), Bitrate: rate, MinPSNR: math.Inf(1)}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tif"))
	sort.Strings(files)
	if limit > 0 && len(files) > limit {
		files = files[:limit]
	}
	var encT, decT time.Duration
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return row, err
		}
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return row, fmt.Errorf("%s: %w", f, err)
		}
		g := wsq.Gray(img)
		t0 := time.Now()
		enc, err := wsq.EncodeGray(g, &wsq.Options{Bitrate: rate})
		if err != nil {
			return row, fmt.Errorf("%s: %w", f, err)
		}
		t1 := time.Now()
		back, _, err := wsq.DecodeBytes(enc)
		if err != nil {
			return row, fmt.Errorf("%s: decode own output: %w", f, err)
		}
		encT += t1.Sub(t0)
		decT += time.Since(t1)
		px := float64(len(g.Pix))
		p := wsq.PSNR(g, back)
		row.Images++
		row.BPP += 8 * float64(len(enc)) / px
		row.Ratio += px / float64(len(enc))
		row.PSNR += p
		row.MinPSNR = math.Min(row.MinPSNR, p)
	}
	if row.Images == 0 {
		return row, fmt.Errorf("no TIFF images in %s", dir)
	}
	n := float64(row.Images)
	row.BPP, row.Ratio, row.PSNR = row.BPP/n, row.Ratio/n, row.PSNR/n
	row.EncodeMS = encT.Seconds() * 1000 / n
	row.DecodeMS = decT.Seconds() * 1000 / n
	return row, nil
}

func runFormatsBench(cx *context, args []string) int {
	fs, c := newFlags(cx, "formats bench")
	testdata := fs.String("testdata", "", "shared data folder (default $REKAM_TESTDATA, else ../shared/data)")
	rate := fs.Float64("bitrate", wsq.DefaultBitrate, "WSQ bit rate in bits per pixel")
	sets := fs.String("sets", "DB1_B,DB2_B,DB3_B,DB4_B", "comma-separated FVC2002 folders")
	limit := fs.Int("limit", 0, "images per set (0 = all)")
	if _, err := formatsParse(fs, args); err != nil {
		return exitUsage
	}
	root := *testdata
	if root == "" {
		if d := cx.getenv("REKAM_TESTDATA"); d != "" {
			root = d
		} else if d, err := shareddata.Root(); err == nil {
			root = d
		} else {
			return failf(cx, exitUsage, "formats bench: %v", err)
		}
	}
	rows, err := formatsDecodeRefs(filepath.Join(root, "wsq"))
	if err != nil {
		return failf(cx, exitUsage, "formats bench: %v", err)
	}
	worst := 0
	for _, r := range rows {
		worst = max(worst, r.MaxDiff)
		if c.jsonOut {
			emitJSON(cx, r)
		} else {
			fmt.Fprintf(cx.stdout, "decode %-12s %4dx%-4d mean |diff| %.5f  max %d  differing %.4f%%  %.1f ms\n",
				r.File, r.Width, r.Height, r.MeanDiff, r.MaxDiff, 100*r.Differ, r.DecodeMS)
		}
	}
	for _, s := range strings.Split(*sets, ",") {
		row, err := formatsCompressSet(filepath.Join(root, "fvc2002", strings.TrimSpace(s)), *rate, *limit)
		if err != nil {
			return failf(cx, exitUsage, "formats bench: %v", err)
		}
		if c.jsonOut {
			emitJSON(cx, row)
		} else {
			fmt.Fprintf(cx.stdout, "encode %-6s %3d images at %.2f bpp: mean %.3f bpp, ratio %.1f:1, PSNR %.2f dB (min %.2f), encode %.1f ms, decode %.1f ms\n",
				row.Set, row.Images, row.Bitrate, row.BPP, row.Ratio, row.PSNR, row.MinPSNR, row.EncodeMS, row.DecodeMS)
		}
	}
	if worst > 4 {
		return failf(cx, exitNegative, "formats bench: a reference decode differs by %d grey levels", worst)
	}
	return exitOK
}

func init() {
	register(&command{path: "formats roundtrip", summary: "copy an FVC-layout folder of TIFFs through WSQ (for EER with and without compression)", run: runFormatsRoundtrip})
}

// runFormatsRoundtrip writes every TIFF of SRC to DST after a WSQ encode
// and decode at the given bit rate, keeping the names, so an evaluation can
// run on the compressed set and the original alike.
func runFormatsRoundtrip(cx *context, args []string) int {
	fs, c := newFlags(cx, "formats roundtrip")
	rate := fs.Float64("bitrate", wsq.DefaultBitrate, "WSQ bit rate in bits per pixel")
	pos, err := formatsParse(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(pos) != 2 {
		return failf(cx, exitUsage, "formats roundtrip: want SRC DST")
	}
	files, _ := filepath.Glob(filepath.Join(pos[0], "*.tif"))
	if len(files) == 0 {
		return failf(cx, exitUsage, "formats roundtrip: no .tif files in %s", pos[0])
	}
	if err := os.MkdirAll(pos[1], 0o755); err != nil {
		return failf(cx, exitUsage, "formats roundtrip: %v", err)
	}
	sumPSNR, sumBytes, px := 0.0, 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return failf(cx, exitUsage, "formats roundtrip: %v", err)
		}
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return failf(cx, exitNegative, "formats roundtrip %s: %v", f, err)
		}
		g := wsq.Gray(img)
		enc, err := wsq.EncodeGray(g, &wsq.Options{Bitrate: *rate})
		if err != nil {
			return failf(cx, exitNegative, "formats roundtrip %s: %v", f, err)
		}
		back, _, err := wsq.DecodeBytes(enc)
		if err != nil {
			return failf(cx, exitNegative, "formats roundtrip %s: %v", f, err)
		}
		var buf bytes.Buffer
		if err := tiff.Encode(&buf, back, nil); err != nil {
			return failf(cx, exitUsage, "formats roundtrip: %v", err)
		}
		if err := formatsWriteFile(filepath.Join(pos[1], filepath.Base(f)), tiffUnknownResolution(buf.Bytes())); err != nil {
			return failf(cx, exitUsage, "formats roundtrip: %v", err)
		}
		sumPSNR += wsq.PSNR(g, back)
		sumBytes += len(enc)
		px += len(g.Pix)
	}
	n := float64(len(files))
	res := map[string]any{"images": len(files), "mean_psnr_db": round2(sumPSNR / n), "ratio": round2(float64(px) / float64(sumBytes)), "bpp": round3(8 * float64(sumBytes) / float64(px))}
	if c.jsonOut {
		emitJSON(cx, res)
	} else {
		fmt.Fprintf(cx.stdout, "%d images → %s: ratio %.1f:1 (%.3f bpp), mean PSNR %.2f dB\n", len(files), pos[1], res["ratio"], res["bpp"], res["mean_psnr_db"])
	}
	return exitOK
}

// tiffUnknownResolution marks a TIFF written by x/image/tiff as having no
// absolute resolution (ResolutionUnit 1): its encoder always writes 72 dpi,
// which is not the print's resolution (the FVC originals carry none either),
// and an evaluation that believed it would rescale the print sevenfold.
func tiffUnknownResolution(b []byte) []byte {
	if len(b) < 8 {
		return b
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	off := int(bo.Uint32(b[4:8]))
	if off < 8 || off+2 > len(b) {
		return b
	}
	n := int(bo.Uint16(b[off:]))
	for i := 0; i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > len(b) {
			break
		}
		if bo.Uint16(b[e:]) == 296 { // ResolutionUnit, SHORT
			bo.PutUint16(b[e+8:], 1)
		}
	}
	return b
}
