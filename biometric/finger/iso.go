package finger

import (
	"fmt"
	"math"

	"github.com/rekam-ktp/rekam/biometric/formats/minutiae"
)

// pxPerCM500 is 500 dpi in pixels per centimetre, as ISO/ANSI records state it.
const pxPerCM500 = 197

// RecordOptions describe the finger a record is written for.
type RecordOptions struct {
	// Format is the layout (ISO2005 when zero).
	Format minutiae.Format
	// Position is the finger.
	Position minutiae.FingerPosition
	// Impression is the capture type.
	Impression minutiae.ImpressionType
}

// ToRecord converts t to an interchange record at 500 dpi (197 px/cm).
func (t *Template) ToRecord(o RecordOptions) *minutiae.Record {
	f := o.Format
	if f == 0 {
		f = minutiae.ISO2005
	}
	v := minutiae.View{Position: o.Position, Impression: o.Impression, Quality: t.Quality}
	for _, m := range t.Minutiae {
		typ := minutiae.Ending
		if m.Type == Bifurcation {
			typ = minutiae.Bifurcation
		}
		v.Minutiae = append(v.Minutiae, minutiae.Minutia{
			Type: typ, X: uint16(m.X), Y: uint16(m.Y),
			Angle: m.Angle * 180 / math.Pi, Quality: m.Quality,
		})
	}
	return &minutiae.Record{
		Format: f, Width: uint16(t.Width), Height: uint16(t.Height),
		XRes: pxPerCM500, YRes: pxPerCM500, Views: []minutiae.View{v},
	}
}

// FromRecord converts view i of an interchange record to a template,
// scaling coordinates to 500 dpi (each axis by its own resolution, and
// the minutia directions with them when the two differ). Minutiae of type "other" become endings.
func FromRecord(r *minutiae.Record, i int) (*Template, error) {
	if i < 0 || i >= len(r.Views) {
		return nil, fmt.Errorf("template from record: view %d of %d", i, len(r.Views))
	}
	sx, sy := 1.0, 1.0
	if r.XRes > 0 {
		sx = pxPerCM500 / float64(r.XRes)
	}
	if r.YRes > 0 {
		sy = pxPerCM500 / float64(r.YRes)
	}
	// Resolutions within 1 % of 500 dpi (196–198 px/cm) are taken as 500 dpi.
	if math.Abs(sx-1) < 0.01 {
		sx = 1
	}
	if math.Abs(sy-1) < 0.01 {
		sy = 1
	}
	v := r.Views[i]
	t := &Template{
		Width: int(math.Round(float64(r.Width) * sx)), Height: int(math.Round(float64(r.Height) * sy)),
		Quality: min(v.Quality, 100),
	}
	for _, m := range v.Minutiae {
		typ := Ending
		if m.Type == minutiae.Bifurcation {
			typ = Bifurcation
		}
		x := int(math.Round(float64(m.X) * sx))
		y := int(math.Round(float64(m.Y) * sy))
		if x > maxNativeSide || y > maxNativeSide {
			return nil, fmt.Errorf("template from record: minutia at (%d,%d) beyond %d", x, y, maxNativeSide)
		}
		a := m.Angle * math.Pi / 180
		if sx != sy {
			// Unequal axis resolutions: a direction stretches with the axes.
			a = math.Atan2(sy*math.Sin(a), sx*math.Cos(a))
		}
		t.Minutiae = append(t.Minutiae, Minutia{
			X: x, Y: y, Type: typ,
			Angle: normAngle(a), Quality: min(m.Quality, 100),
		})
	}
	if len(t.Minutiae) > 255 {
		t.Minutiae = t.Minutiae[:255]
	}
	return t, nil
}
