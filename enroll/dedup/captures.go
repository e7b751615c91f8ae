package dedup

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/png" // captures are stored as PNG
	"strconv"
	"strings"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/iris"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// Capture step names: "finger.NN" (ISO position 01–10) and "iris.right" /
// "iris.left" hold images; a step with an exception holds none.
const (
	fingerStep = "finger."
	irisStep   = "iris."
)

// ProbeFromCaptures extracts the templates of an enrollment's captures:
// every finger and iris image, the exceptions skipped. A capture the
// engines cannot use (undecodable, no print, no eye, too small) is skipped
// too and named in the returned list of skipped steps, so one bad image
// never stops a search or a seal.
func ProbeFromCaptures(caps []store.Capture) (*index.Record, []string) {
	rec := &index.Record{}
	var skipped []string
	for _, c := range caps {
		if c.Meta.Exception != "" || len(c.Blob) == 0 {
			continue
		}
		switch {
		case strings.HasPrefix(c.Step, fingerStep):
			pos, err := strconv.Atoi(strings.TrimPrefix(c.Step, fingerStep))
			if err != nil || pos < 1 || pos > index.Fingers {
				continue
			}
			g, err := decodeGray(c.Blob)
			var t *finger.Template
			if err == nil {
				b := g.Bounds()
				t, err = finger.Extract(&finger.Image{Width: b.Dx(), Height: b.Dy(), Pix: g.Pix})
			}
			if err != nil {
				skipped = append(skipped, c.Step)
				continue
			}
			rec.Fingers[pos-1] = t
		case strings.HasPrefix(c.Step, irisStep):
			eye := -1
			switch strings.TrimPrefix(c.Step, irisStep) {
			case "right", "r":
				eye = 0
			case "left", "l":
				eye = 1
			}
			if eye < 0 {
				continue
			}
			g, err := decodeGray(c.Blob)
			var r *iris.Result
			if err == nil {
				r, err = iris.Enroll(g)
			}
			if err != nil {
				skipped = append(skipped, c.Step)
				continue
			}
			rec.Irises[eye] = r.Template
		}
	}
	return rec, skipped
}

// decodeGray decodes an image to 8-bit grey with a tight stride.
func decodeGray(b []byte) (*image.Gray, error) {
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decode image: %w", err)
	}
	if g, ok := img.(*image.Gray); ok && g.Stride == g.Rect.Dx() && g.Rect.Min == (image.Point{}) {
		return g, nil
	}
	r := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(g, g.Rect, img, r.Min, draw.Src)
	return g, nil
}
