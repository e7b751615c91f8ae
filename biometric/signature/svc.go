package signature

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxSVCSamples bounds the declared sample count of an SVC file so a hostile
// header cannot make the parser allocate unbounded memory.
const maxSVCSamples = 100000

// ParseSVC reads a signature in the SVC2004 text layout: a first line with
// the point count, then one line per sample "X Y T BUTTON AZIMUTH ALTITUDE
// PRESSURE" (Task 2; Task 1 files carry only the first four columns). Line
// ends may be LF or CRLF. Pressure is scaled from 0–1023 to 0–1; azimuth
// (0–3600) and altitude (0–900) are tenths of a degree.
func ParseSVC(r io.Reader) (*Signature, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 4096)
	line := 0
	next := func() (string, bool) {
		for sc.Scan() {
			line++
			if t := strings.TrimSpace(sc.Text()); t != "" {
				return t, true
			}
		}
		return "", false
	}
	head, ok := next()
	if !ok {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("svc: read header: %w", err)
		}
		return nil, fmt.Errorf("svc: empty input")
	}
	n, err := strconv.Atoi(head)
	if err != nil || n < 0 || n > maxSVCSamples {
		return nil, fmt.Errorf("svc: line %d: bad point count %q", line, head)
	}
	sig := &Signature{Samples: make([]Sample, 0, n), YUp: true}
	for len(sig.Samples) < n {
		t, ok := next()
		if !ok {
			if err := sc.Err(); err != nil {
				return nil, fmt.Errorf("svc: line %d: %w", line+1, err)
			}
			return nil, fmt.Errorf("svc: %d points declared, %d found", n, len(sig.Samples))
		}
		f := strings.Fields(t)
		if len(f) != 4 && len(f) != 7 {
			return nil, fmt.Errorf("svc: line %d: %d columns, want 4 or 7", line, len(f))
		}
		var v [7]int64
		for i, s := range f {
			if v[i], err = strconv.ParseInt(s, 10, 64); err != nil {
				return nil, fmt.Errorf("svc: line %d column %d: %w", line, i+1, err)
			}
		}
		s := Sample{X: float64(v[0]), Y: float64(v[1]), T: v[2], PenDown: v[3] != 0}
		if len(f) == 7 {
			sig.HasTilt = true
			s.Azimuth, s.Altitude = float64(v[4])/10, float64(v[5])/10
			s.Pressure = float64(v[6]) / 1023
		} else if s.PenDown {
			s.Pressure = 1
		}
		sig.Samples = append(sig.Samples, s)
	}
	if t, ok := next(); ok {
		return nil, fmt.Errorf("svc: line %d: data after the %d declared points: %q", line, n, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("svc: line %d: %w", line+1, err)
	}
	return sig, nil
}
