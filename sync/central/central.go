// Package central is the reference national centre's decision on each
// received enrollment, across every station: the same NIK recorded twice,
// and the same fingers under another NIK (central 1:N with the station's own
// fingerprint engine). It produces the statuses that flow back to stations:
// PRINT_READY_RECORD, DUPLICATE_RECORD, ADJUDICATE_RECORD or
// ENROLL_FAILURE_AT_CENTRAL (re-record requested).
package central

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/formats/ansinist"
	"github.com/rekam-ktp/rekam/biometric/formats/wsq"
	"github.com/rekam-ktp/rekam/biometric/iris"
	"github.com/rekam-ktp/rekam/internal/atomicfile"
	"github.com/rekam-ktp/rekam/sync/packet"
)

// Outcomes the centre gives.
const (
	PrintReady    = "PRINT_READY_RECORD"
	Duplicate     = "DUPLICATE_RECORD"
	Adjudicate    = "ADJUDICATE_RECORD"
	EnrollFailure = "ENROLL_FAILURE_AT_CENTRAL"
)

// Config sets the decision rule.
type Config struct {
	// FingerFMR is the per-finger false match rate a hit must beat
	// (default 1e-5).
	FingerFMR float64
	// IrisFMR is the per-eye false match rate a hit must beat (default 1e-6).
	IrisFMR float64
	// DuplicateFingers is how many fingers and irises together must hit
	// the same enrollment for a duplicate (default 2); fewer hits go to
	// adjudication.
	DuplicateFingers int
	// MinFingers is how many usable fingerprints a record needs; fewer
	// asks for a re-record (default 1).
	MinFingers int
}

// Centre holds the national gallery: one fingerprint gallery per finger
// position and the NIKs already recorded. Each accepted record's templates
// are kept in Dir so a restart rebuilds the gallery without decrypting
// packets again.
type Centre struct {
	cfg Config
	dir string

	mu      sync.Mutex
	nik     map[string]string // NIK hash → enrollment reference
	fingers map[int]*finger.Gallery
	irises  []irisEntry
}

type irisEntry struct {
	ref string
	t   *iris.Template
}

// record is what the centre keeps of one accepted enrollment.
type record struct {
	Ref     string         `json:"ref"`
	NIKHash string         `json:"nik_hash"`
	Fingers map[int][]byte `json:"fingers"`          // position → native template
	Irises  map[int][]byte `json:"irises,omitempty"` // eye (1 right, 2 left) → iris code
}

// New opens (or creates) a centre whose records live in dir.
func New(dir string, cfg Config) (*Centre, error) {
	if cfg.FingerFMR == 0 {
		cfg.FingerFMR = 1e-5
	}
	if cfg.IrisFMR == 0 {
		cfg.IrisFMR = 1e-6
	}
	if cfg.DuplicateFingers == 0 {
		cfg.DuplicateFingers = 2
	}
	if cfg.MinFingers == 0 {
		cfg.MinFingers = 1
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("central: %w", err)
	}
	c := &Centre{cfg: cfg, dir: dir, nik: map[string]string{}, fingers: map[int]*finger.Gallery{}}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("central: %w", err)
		}
		var r record
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("central: %s: %w", f, err)
		}
		if err := c.add(r); err != nil {
			return nil, fmt.Errorf("central: %s: %w", f, err)
		}
	}
	return c, nil
}

// Len is how many enrollments the gallery holds.
func (c *Centre) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.nik)
}

func (c *Centre) add(r record) error {
	for pos, b := range r.Fingers {
		var t finger.Template
		if err := t.UnmarshalBinary(b); err != nil {
			return err
		}
		g := c.fingers[pos]
		if g == nil {
			g = &finger.Gallery{}
			c.fingers[pos] = g
		}
		g.Add(r.Ref, &t)
	}
	for _, b := range r.Irises {
		var t iris.Template
		if err := t.UnmarshalBinary(b); err != nil {
			return err
		}
		c.irises = append(c.irises, irisEntry{ref: r.Ref, t: &t})
	}
	c.nik[r.NIKHash] = r.Ref
	return nil
}

func nikHash(nik string) string {
	h := sha256.Sum256([]byte("rekam central nik\x00" + nik))
	return hex.EncodeToString(h[:])
}

// Decide is a server.Processor: it judges one received packet.
func (c *Centre) Decide(ctx context.Context, p *packet.Contents) (status, reason string) {
	ref := p.Manifest.EnrollmentID
	var an2 []byte
	for _, f := range p.Files {
		if f.Name == "transaction.an2" {
			an2 = f.Data
		}
	}
	if an2 == nil {
		return EnrollFailure, "packet carries no ANSI/NIST-ITL transaction"
	}
	tx, err := ansinist.Parse(an2)
	if err != nil {
		return EnrollFailure, "transaction unreadable: " + err.Error()
	}
	nik := ""
	templates := map[int]*finger.Template{}
	eyes := map[int]*iris.Template{}
	for _, rec := range tx.Records {
		switch rec.Type {
		case 2:
			nik = strings.TrimSpace(rec.Get(3))
		case 14:
			pos, _ := strconv.Atoi(rec.Get(13))
			img, ok := rec.Image()
			if !ok || pos < 1 || pos > 10 || !wsq.IsWSQ(img.Data) {
				continue
			}
			decoded, _, err := image.Decode(bytes.NewReader(img.Data))
			if err != nil {
				continue
			}
			g := wsq.Gray(decoded)
			t, err := finger.Extract(&finger.Image{Width: g.Rect.Dx(), Height: g.Rect.Dy(), Pix: g.Pix, DPI: 500})
			if err != nil {
				continue
			}
			templates[pos] = t
		case 17:
			eye, _ := strconv.Atoi(rec.Get(3))
			img, ok := rec.Image()
			if !ok || eye < 1 || eye > 2 {
				continue
			}
			decoded, _, err := image.Decode(bytes.NewReader(img.Data))
			if err != nil {
				continue
			}
			res, err := iris.Enroll(decoded)
			if err != nil {
				continue
			}
			eyes[eye] = res.Template
		}
	}
	if len(nik) != 16 {
		return EnrollFailure, "transaction carries no NIK"
	}
	if len(templates) < c.cfg.MinFingers {
		return EnrollFailure, fmt.Sprintf("%d usable fingerprints; re-record", len(templates))
	}
	threshold := finger.ThresholdForFMR(c.cfg.FingerFMR)
	nh := nikHash(nik)

	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.nik[nh]; ok && prev != ref {
		return Duplicate, "NIK already recorded in " + prev
	}
	hits := map[string]int{}
	positions := make([]int, 0, len(templates))
	for pos := range templates {
		positions = append(positions, pos)
	}
	sort.Ints(positions)
	for _, pos := range positions {
		g := c.fingers[pos]
		if g == nil {
			continue
		}
		for _, h := range g.Search(templates[pos], threshold, 3) {
			if h.ID != ref {
				hits[h.ID]++
			}
		}
	}
	irisThreshold := iris.ThresholdAtFMR(c.cfg.IrisFMR)
	for _, eye := range []int{1, 2} {
		t := eyes[eye]
		if t == nil {
			continue
		}
		probe := iris.NewProbe(t, iris.DefaultShifts)
		seen := map[string]bool{}
		for _, g := range c.irises {
			if g.ref == ref || seen[g.ref] {
				continue
			}
			if sc, ok := probe.CompareBelow(g.t, irisThreshold); ok && sc.Distance <= irisThreshold {
				hits[g.ref]++
				seen[g.ref] = true
			}
		}
	}
	best, n := "", 0
	for id, k := range hits {
		if k > n || (k == n && id < best) {
			best, n = id, k
		}
	}
	switch {
	case n >= c.cfg.DuplicateFingers:
		return Duplicate, fmt.Sprintf("%d fingers or irises match enrollment %s", n, best)
	case n > 0:
		return Adjudicate, fmt.Sprintf("%d finger or iris matches enrollment %s", n, best)
	}
	r := record{Ref: ref, NIKHash: nh, Fingers: map[int][]byte{}, Irises: map[int][]byte{}}
	for eye, t := range eyes {
		b, err := t.MarshalBinary()
		if err != nil {
			return EnrollFailure, "iris code: " + err.Error()
		}
		r.Irises[eye] = b
	}
	for pos, t := range templates {
		b, err := t.MarshalBinary()
		if err != nil {
			return EnrollFailure, "template: " + err.Error()
		}
		r.Fingers[pos] = b
	}
	body, err := json.Marshal(r)
	if err != nil {
		return EnrollFailure, err.Error()
	}
	name := strings.NewReplacer("/", "_").Replace(ref) + ".json"
	if err := atomicfile.WriteBytes(filepath.Join(c.dir, name), 0o600, body); err != nil {
		// Not kept: the next decision will not see it. Say so rather than
		// print a card the gallery does not know.
		return "", ""
	}
	if err := c.add(r); err != nil {
		return "", ""
	}
	return PrintReady, ""
}
