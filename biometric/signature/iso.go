package signature

import (
	"errors"
	"fmt"
	"math"

	"github.com/rekam-ktp/rekam/biometric/formats/sigrec"
)

// Channel scales used in exported 19794-7 records.
const (
	isoPressureMax = 65535 // full pressure
	isoAngleScale  = 100   // hundredths of a degree
)

// ToISO converts sig to an ISO/IEC 19794-7 record with channels X, Y
// (device units), T (milliseconds from the first sample), F (pressure, 0 to
// 65535), S (pen down) and, when measured, azimuth and elevation in
// hundredths of a degree. UnitsPerMM, when known, becomes the X/Y scale.
func ToISO(sig *Signature) (*sigrec.Record, error) {
	if sig == nil || len(sig.Samples) == 0 {
		return nil, errors.New("signature: nothing to export")
	}
	xy := func(c sigrec.Channel) sigrec.ChannelDescription {
		d := sigrec.ChannelDescription{Channel: c}
		if sig.UnitsPerMM > 0 {
			d.HasScale, d.Scale = true, sig.UnitsPerMM
		}
		return d
	}
	r := &sigrec.Record{Channels: []sigrec.ChannelDescription{
		xy(sigrec.X), xy(sigrec.Y),
		{Channel: sigrec.Time, HasScale: true, Scale: 1000}, // values per second
		{Channel: sigrec.Force},
		{Channel: sigrec.Switch},
	}}
	if sig.HasTilt {
		r.Channels = append(r.Channels,
			sigrec.ChannelDescription{Channel: sigrec.Azimuth, HasScale: true, Scale: isoAngleScale},
			sigrec.ChannelDescription{Channel: sigrec.Elevation, HasScale: true, Scale: isoAngleScale})
	}
	t0 := sig.Samples[0].T
	for i, s := range sig.Samples {
		down := 0
		if s.PenDown {
			down = 1
		}
		row := []int{int(math.Round(s.X)), int(math.Round(s.Y)), int(s.T - t0),
			int(math.Round(math.Max(0, math.Min(1, s.Pressure)) * isoPressureMax)), down}
		if sig.HasTilt {
			row = append(row, int(math.Round(s.Azimuth*isoAngleScale)), int(math.Round(s.Altitude*isoAngleScale)))
		}
		if row[2] < 0 || row[2] > math.MaxUint16 {
			return nil, fmt.Errorf("signature: sample %d at %d ms does not fit the 19794-7 time channel", i, row[2])
		}
		r.Samples = append(r.Samples, row)
	}
	if _, err := r.Marshal(); err != nil {
		return nil, fmt.Errorf("signature: export: %w", err)
	}
	return r, nil
}

// FromISO converts a 19794-7 record back to a signature. X and Y are
// required; T, F and S are used when present (without S every sample is
// taken as pen down; without F pressure is 1 while down).
func FromISO(r *sigrec.Record) (*Signature, error) {
	ix, iy := r.Index(sigrec.X), r.Index(sigrec.Y)
	if ix < 0 || iy < 0 {
		return nil, errors.New("signature: record lacks the X or Y channel")
	}
	it, idt, iff, is := r.Index(sigrec.Time), r.Index(sigrec.DeltaT), r.Index(sigrec.Force), r.Index(sigrec.Switch)
	iaz, iel := r.Index(sigrec.Azimuth), r.Index(sigrec.Elevation)
	sig := &Signature{HasTilt: iaz >= 0 && iel >= 0}
	if d := r.Channels[ix]; d.HasScale {
		sig.UnitsPerMM = d.Scale
	}
	var t int64
	for i, v := range r.Samples {
		s := Sample{X: float64(v[ix]), Y: float64(v[iy]), PenDown: true, Pressure: 1}
		switch {
		case it >= 0:
			t = int64(v[it])
		case idt >= 0:
			t += int64(v[idt])
		default:
			t = int64(i) * 10 // unknown clock: assume 100 Hz
		}
		s.T = t
		if is >= 0 {
			s.PenDown = v[is] != 0
		}
		if iff >= 0 {
			s.Pressure = float64(v[iff]) / isoPressureMax
		} else if !s.PenDown {
			s.Pressure = 0
		}
		if sig.HasTilt {
			s.Azimuth, s.Altitude = float64(v[iaz])/isoAngleScale, float64(v[iel])/isoAngleScale
		}
		sig.Samples = append(sig.Samples, s)
	}
	return sig, nil
}
