package main

import (
	"bytes"
	"flag"
	"fmt"
	"github.com/rekam-ktp/rekam/internal/atomicfile"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "golang.org/x/image/tiff"

	"github.com/rekam-ktp/rekam/biometric/formats/ansinist"
	"github.com/rekam-ktp/rekam/biometric/formats/cbeff"
	"github.com/rekam-ktp/rekam/biometric/formats/facerec"
	"github.com/rekam-ktp/rekam/biometric/formats/fingerimg"
	"github.com/rekam-ktp/rekam/biometric/formats/wsq"
)

func init() {
	register(&command{path: "formats inspect", summary: "show what a WSQ, ISO 19794-4/-5, CBEFF or ANSI/NIST file holds", run: runFormatsInspect})
	register(&command{path: "formats convert", summary: "convert PNG/TIFF/WSQ/19794-4/ANSI-NIST images to WSQ, PNG or a 19794-4 record (.fir)", run: runFormatsConvert})
	register(&command{path: "formats bench", summary: "WSQ decode accuracy on the NIST files and compression on FVC2002", run: runFormatsBench})
}

// formatsParse parses flags that may come before or after the positional
// arguments and returns the positionals.
func formatsParse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// formatsSummary is what inspect reports about one file or embedded record.
type formatsSummary struct {
	Format  string            `json:"format"`
	Bytes   int               `json:"bytes"`
	Width   int               `json:"width,omitempty"`
	Height  int               `json:"height,omitempty"`
	PPI     int               `json:"ppi,omitempty"`
	Ratio   float64           `json:"compression_ratio,omitempty"`
	Detail  map[string]string `json:"detail,omitempty"`
	Records []formatsSummary  `json:"records,omitempty"`
}

// formatsInspect describes data by its content.
func formatsInspect(data []byte) (formatsSummary, error) {
	s := formatsSummary{Bytes: len(data), Detail: map[string]string{}}
	switch {
	case wsq.IsWSQ(data):
		in, err := wsq.ReadInfo(data)
		if err != nil {
			return s, err
		}
		s.Format, s.Width, s.Height, s.PPI = "WSQ", in.Width, in.Height, in.PPI
		s.Ratio = round2(float64(in.Width*in.Height) / float64(len(data)))
		for _, f := range in.NIST {
			if f.Name == "WSQ_BITRATE" || f.Name == "COMPRESSION" || f.Name == "COLORSPACE" {
				s.Detail[strings.ToLower(f.Name)] = f.Value
			}
		}
		s.Detail["comments"] = fmt.Sprint(len(in.Comments))
	case fingerimg.IsRecord(data):
		r, err := fingerimg.Unmarshal(data)
		if err != nil {
			return s, err
		}
		s.Format, s.PPI = "ISO/IEC 19794-4:2005 finger image", int(r.ImageResX)
		s.Detail["compression"] = r.Compression.String()
		s.Detail["acquisition_level"] = fmt.Sprint(r.AcquisitionLevel)
		for _, v := range r.Views {
			s.Records = append(s.Records, formatsSummary{
				Format: "finger view", Bytes: len(v.Data), Width: int(v.Width), Height: int(v.Height),
				Detail: map[string]string{"position": fmt.Sprint(v.Position), "quality": fmt.Sprint(v.Quality),
					"impression": fmt.Sprint(v.Impression), "view": fmt.Sprintf("%d/%d", v.ViewNumber, v.ViewCount)},
			})
		}
	case facerec.IsRecord(data):
		r, err := facerec.Unmarshal(data)
		if err != nil {
			return s, err
		}
		s.Format = "ISO/IEC 19794-5:2005 face image"
		for _, f := range r.Images {
			s.Records = append(s.Records, formatsSummary{
				Format: map[uint8]string{facerec.DataJPEG: "JPEG", facerec.DataJPEG2000: "JPEG 2000"}[f.DataType],
				Bytes:  len(f.Data), Width: int(f.Width), Height: int(f.Height),
				Detail: map[string]string{"image_type": fmt.Sprint(f.ImageType), "feature_points": fmt.Sprint(len(f.FeaturePoints))},
			})
		}
	case cbeff.IsCBEFF(data):
		r, err := cbeff.Unmarshal(data)
		if err != nil {
			return s, err
		}
		s.Format = "CBEFF"
		s.Detail["format_owner"] = fmt.Sprintf("%#04x", r.FormatOwner)
		s.Detail["format_type"] = fmt.Sprintf("%#04x", r.FormatType)
		s.Detail["purpose"] = fmt.Sprint(r.Purpose)
		s.Detail["quality"] = fmt.Sprint(r.Quality)
		s.Detail["created"] = r.Created.Format(time.RFC3339)
		inner, err := formatsInspect(r.BDB)
		if err != nil {
			return s, fmt.Errorf("CBEFF data block: %w", err)
		}
		s.Records = []formatsSummary{inner}
	case bytes.HasPrefix(data, []byte("1.001:")):
		tx, err := ansinist.Parse(data)
		if err != nil {
			return s, err
		}
		s.Format = "ANSI/NIST-ITL"
		t1 := tx.Records[0]
		for tag, name := range map[int]string{2: "version", 4: "transaction_type", 5: "date", 7: "destination", 8: "origin"} {
			s.Detail[name] = t1.Get(tag)
		}
		for _, r := range tx.Records[1:] {
			rs := formatsSummary{Format: fmt.Sprintf("Type-%d", r.Type), Detail: map[string]string{"idc": fmt.Sprint(r.IDC())}}
			if img, ok := r.Image(); ok {
				rs.Bytes, rs.Width, rs.Height = len(img.Data), img.Width, img.Height
				rs.Detail["compression"] = img.Compression
			} else if r.Binary == nil {
				// Field tags only: Type-2 values are personal data.
				rs.Detail["fields"] = fmt.Sprint(len(r.Fields))
			}
			s.Records = append(s.Records, rs)
		}
	default:
		cfg, name, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return s, fmt.Errorf("unknown format: %w", err)
		}
		s.Format, s.Width, s.Height = strings.ToUpper(name), cfg.Width, cfg.Height
	}
	if len(s.Detail) == 0 {
		s.Detail = nil
	}
	return s, nil
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// round3 rounds to three decimals (bit rates).
func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

func printSummary(cx *context, s formatsSummary, indent string) {
	fmt.Fprintf(cx.stdout, "%s%s, %d bytes", indent, s.Format, s.Bytes)
	if s.Width > 0 {
		fmt.Fprintf(cx.stdout, ", %dx%d", s.Width, s.Height)
	}
	if s.PPI > 0 {
		fmt.Fprintf(cx.stdout, ", %d ppi", s.PPI)
	}
	if s.Ratio > 0 {
		fmt.Fprintf(cx.stdout, ", %.1f:1", s.Ratio)
	}
	keys := make([]string, 0, len(s.Detail))
	for k := range s.Detail {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(cx.stdout, ", %s %s", k, s.Detail[k])
	}
	fmt.Fprintln(cx.stdout)
	for _, r := range s.Records {
		printSummary(cx, r, indent+"  ")
	}
}

func runFormatsInspect(cx *context, args []string) int {
	fs, c := newFlags(cx, "formats inspect")
	pos, err := formatsParse(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(pos) != 1 {
		return failf(cx, exitUsage, "formats inspect: want one FILE")
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return failf(cx, exitUsage, "formats inspect: %v", err)
	}
	s, err := formatsInspect(data)
	if err != nil {
		return failf(cx, exitNegative, "formats inspect %s: %v", pos[0], err)
	}
	if c.jsonOut {
		if err := emitJSON(cx, s); err != nil {
			return exitUsage
		}
		return exitOK
	}
	printSummary(cx, s, "")
	return exitOK
}

// formatsLoadImage decodes a WSQ file, the first view of a 19794-4 record,
// an image record of an ANSI/NIST transaction (the one with IDC idc, else
// the first) or any image the image package knows.
func formatsLoadImage(data []byte, idc int) (image.Image, int, error) {
	switch {
	case bytes.HasPrefix(data, []byte("1.001:")):
		tx, err := ansinist.Parse(data)
		if err != nil {
			return nil, 0, err
		}
		for _, r := range tx.Records[1:] {
			img, ok := r.Image()
			if !ok || (idc >= 0 && r.IDC() != idc) {
				continue
			}
			if len(img.Data) == img.Width*img.Height && img.Width > 0 {
				g := image.NewGray(image.Rect(0, 0, img.Width, img.Height))
				copy(g.Pix, img.Data)
				return g, 0, nil
			}
			return formatsLoadImage(img.Data, -1)
		}
		return nil, 0, fmt.Errorf("no image record with IDC %d", idc)
	case wsq.IsWSQ(data):
		img, in, err := wsq.DecodeBytes(data)
		return img, in.PPI, err
	case fingerimg.IsRecord(data):
		r, err := fingerimg.Unmarshal(data)
		if err != nil {
			return nil, 0, err
		}
		img, err := r.Decode(0)
		return img, int(r.ImageResX), err
	case cbeff.IsCBEFF(data):
		r, err := cbeff.Unmarshal(data)
		if err != nil {
			return nil, 0, err
		}
		return formatsLoadImage(r.BDB, -1)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	return img, 0, err
}

// formatsWriteFile writes data atomically (temp file, fsync, rename).
func formatsWriteFile(path string, data []byte) error {
	return atomicfile.WriteBytes(path, 0o600, data)
}

func runFormatsConvert(cx *context, args []string) int {
	fs, c := newFlags(cx, "formats convert")
	rate := fs.Float64("bitrate", wsq.DefaultBitrate, "WSQ bit rate in bits per pixel")
	maxRatio := fs.Float64("max-ratio", 0, "cap the WSQ compression ratio (e.g. 15 for 15:1; 0 no cap)")
	ppi := fs.Int("ppi", 0, "resolution when the input does not state it (default 500)")
	payload := fs.String("payload", "wsq", "image coding inside a .fir record: wsq or png")
	position := fs.Int("position", 0, "finger position code for a .fir record (0 unknown, 1-10)")
	quality := fs.Int("quality", 254, "finger quality 0-100 for a .fir record (254 not computed)")
	idc := fs.Int("idc", -1, "image record of an ANSI/NIST input, by IDC (default the first)")
	wrap := fs.Bool("cbeff", false, "wrap a .fir record in a CBEFF header (purpose: enrolment for identification)")
	pos, err := formatsParse(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(pos) != 2 {
		return failf(cx, exitUsage, "formats convert: want IN OUT")
	}
	if *position < 0 || *position > 255 || *quality < 0 || *quality > 255 {
		return failf(cx, exitUsage, "formats convert: position and quality must be 0-255")
	}
	in, err := os.ReadFile(pos[0])
	if err != nil {
		return failf(cx, exitUsage, "formats convert: %v", err)
	}
	img, srcPPI, err := formatsLoadImage(in, *idc)
	if err != nil {
		return failf(cx, exitNegative, "formats convert %s: %v", pos[0], err)
	}
	res := *ppi
	if res == 0 {
		res = srcPPI
	}
	if res <= 0 {
		res = wsq.DefaultPPI
	}
	encodeWSQ := func() ([]byte, error) {
		var buf bytes.Buffer
		err := wsq.Encode(&buf, img, &wsq.Options{Bitrate: *rate, PPI: res, MaxRatio: *maxRatio})
		return buf.Bytes(), err
	}
	encodePNG := func() ([]byte, error) {
		var buf bytes.Buffer
		err := png.Encode(&buf, img)
		return buf.Bytes(), err
	}
	var out []byte
	switch ext := strings.ToLower(filepath.Ext(pos[1])); ext {
	case ".wsq":
		out, err = encodeWSQ()
	case ".png":
		out, err = encodePNG()
	case ".fir", ".iso":
		var body []byte
		switch *payload {
		case "wsq":
			body, err = encodeWSQ()
		case "png":
			body, err = encodePNG()
		default:
			return failf(cx, exitUsage, "formats convert: --payload %q, want wsq or png", *payload)
		}
		if err == nil {
			var r *fingerimg.Record
			if r, err = fingerimg.FromImage(body, uint8(*position), 0, uint8(*quality), res); err == nil {
				out, err = r.Marshal()
			}
			if err == nil && *wrap {
				out, err = (&cbeff.Record{Header: cbeff.Header{
					FormatOwner: cbeff.OwnerISO, FormatType: cbeff.TypeFingerImg, BiometricType: cbeff.BioFinger,
					Purpose: cbeff.PurposeEnrollIdentify, Quality: uint8(*quality), Created: time.Now(),
				}, BDB: out}).Marshal()
			}
		}
	default:
		return failf(cx, exitUsage, "formats convert: output %q: want .wsq, .png or .fir", ext)
	}
	if err != nil {
		return failf(cx, exitNegative, "formats convert %s: %v", pos[0], err)
	}
	if err := formatsWriteFile(pos[1], out); err != nil {
		return failf(cx, exitUsage, "formats convert: write %s: %v", pos[1], err)
	}
	b := img.Bounds()
	if c.jsonOut {
		emitJSON(cx, map[string]any{"in": pos[0], "out": pos[1], "width": b.Dx(), "height": b.Dy(), "bytes": len(out), "ppi": res})
	} else {
		fmt.Fprintf(cx.stdout, "%s → %s: %dx%d, %d bytes\n", pos[0], pos[1], b.Dx(), b.Dy(), len(out))
	}
	return exitOK
}
