package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/biometric/iris"
	"github.com/rekam-ktp/rekam/internal/atomicfile"
	"github.com/rekam-ktp/rekam/simulators/synth"
)

// dedupPoolIdentity is one identity of the real-image pool: templates
// extracted from images, several impressions per finger and eye. Impression
// 0 goes into the gallery; the others make probes.
type dedupPoolIdentity struct {
	Name string
	// Fingers[p][k] is impression k of position p+1 (nil when extraction
	// failed); Irises[e][k] likewise.
	Fingers [10][][]byte
	Irises  [2][][]byte
}

// dedupPool is the bench's source of mated and non-mated probes.
type dedupPool struct {
	Enrolled []*dedupPoolIdentity
	HeldOut  []*dedupPoolIdentity
	// Images is the number of images extracted.
	Images int
}

// dedupPoolSpec says what the pool holds; it names the cache file.
type dedupPoolSpec struct {
	FVCRoot     string
	Synth       int // synthetic-image identities in the gallery
	HeldOut     int // synthetic-image identities never enrolled
	Impressions int // per synthetic finger and per eye
}

// cacheName names the cache file after the spec and a fingerprint of the
// engines (the templates they extract from two fixed synthetic images), so
// a changed extractor never reuses stale templates.
func (s dedupPoolSpec) cacheName() (string, error) {
	h := sha256.New()
	ft, err := finger.Extract(dedupGrayFinger(synth.Finger(1, 1, 0, synth.FingerOptions{})))
	if err != nil {
		return "", fmt.Errorf("engine fingerprint: %w", err)
	}
	fb, _ := ft.MarshalBinary()
	h.Write(fb)
	ir, err := iris.Enroll(synth.Iris(1, 0, 0))
	if err != nil {
		return "", fmt.Errorf("engine fingerprint: %w", err)
	}
	ib, _ := ir.Template.MarshalBinary()
	h.Write(ib)
	return fmt.Sprintf("dedup-pool-v1-s%d-h%d-i%d-fvc%t-%x.gob", s.Synth, s.HeldOut, s.Impressions, s.FVCRoot != "", h.Sum(nil)[:6]), nil
}

// loadDedupPool reads the pool from cacheDir or builds (and caches) it.
func loadDedupPool(spec dedupPoolSpec, cacheDir string, workers int) (*dedupPool, error) {
	path := ""
	if cacheDir != "" {
		name, err := spec.cacheName()
		if err != nil {
			return nil, err
		}
		path = filepath.Join(cacheDir, name)
		if b, err := os.ReadFile(path); err == nil {
			var p dedupPool
			if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&p); err == nil {
				return &p, nil
			}
		}
	}
	p, err := buildDedupPool(spec, workers)
	if err != nil {
		return nil, err
	}
	if path != "" {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(p); err != nil {
			return nil, fmt.Errorf("encode pool cache: %w", err)
		}
		if err := os.MkdirAll(cacheDir, 0o700); err != nil {
			return nil, fmt.Errorf("pool cache: %w", err)
		}
		if err := atomicfile.WriteBytes(path, 0o600, buf.Bytes()); err != nil {
			return nil, fmt.Errorf("pool cache: %w", err)
		}
	}
	return p, nil
}

// dedupJob is one image to extract into a pool slot.
type dedupJob struct {
	dst  *[]byte
	make func() ([]byte, error)
}

func buildDedupPool(spec dedupPoolSpec, workers int) (*dedupPool, error) {
	p := &dedupPool{}
	var jobs []dedupJob
	newIdentity := func(name string, fingerImps, eyeImps int) *dedupPoolIdentity {
		id := &dedupPoolIdentity{Name: name}
		for f := range id.Fingers {
			id.Fingers[f] = make([][]byte, fingerImps)
		}
		for e := range id.Irises {
			id.Irises[e] = make([][]byte, eyeImps)
		}
		return id
	}
	irisJobs := func(id *dedupPoolIdentity, seed uint64) {
		for e := range id.Irises {
			for k := range id.Irises[e] {
				jobs = append(jobs, dedupJob{&id.Irises[e][k], func() ([]byte, error) {
					r, err := iris.Enroll(synth.Iris(seed, e, k))
					if err != nil {
						return nil, err
					}
					return r.Template.MarshalBinary()
				}})
			}
		}
	}
	// FVC2002: each DB's ten fingers make one chimeric identity, its eight
	// impressions the gallery sample and seven probes; its irises are drawn.
	if spec.FVCRoot != "" {
		for d, db := range []string{"DB1_B", "DB2_B", "DB3_B", "DB4_B"} {
			dpi := 500.0
			if db == "DB2_B" {
				dpi = 569
			}
			id := newIdentity("fvc2002/"+db, 8, spec.Impressions)
			for f := 0; f < 10; f++ {
				for k := 0; k < 8; k++ {
					path := filepath.Join(spec.FVCRoot, db, fmt.Sprintf("%d_%d.tif", 101+f, k+1))
					jobs = append(jobs, dedupJob{&id.Fingers[f][k], func() ([]byte, error) {
						b, err := os.ReadFile(path)
						if err != nil {
							return nil, err
						}
						fi, err := decodeFingerImage(b)
						if err != nil {
							return nil, fmt.Errorf("%s: %w", path, err)
						}
						return dedupExtract(&finger.Image{Width: fi.w, Height: fi.h, Pix: fi.pix, DPI: dpi})
					}})
				}
			}
			irisJobs(id, 9_000_000+uint64(d))
			p.Enrolled = append(p.Enrolled, id)
		}
	}
	synthID := func(seed uint64) *dedupPoolIdentity {
		id := newIdentity(fmt.Sprintf("synth/%d", seed), spec.Impressions, spec.Impressions)
		for f := 0; f < 10; f++ {
			for k := 0; k < spec.Impressions; k++ {
				jobs = append(jobs, dedupJob{&id.Fingers[f][k], func() ([]byte, error) {
					return dedupExtract(dedupGrayFinger(synth.Finger(seed, f+1, k, synth.FingerOptions{})))
				}})
			}
		}
		irisJobs(id, seed)
		return id
	}
	for i := 0; i < spec.Synth; i++ {
		p.Enrolled = append(p.Enrolled, synthID(7_000_000+uint64(i)))
	}
	for i := 0; i < spec.HeldOut; i++ {
		p.HeldOut = append(p.HeldOut, synthID(8_000_000+uint64(i)))
	}
	// Jobs of one synthetic finger stay together so its grown master is
	// reused from synth's cache.
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan dedupJob)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				b, err := j.make()
				if err != nil && !dedupNoPrint(err) {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
				*j.dst = b
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, fmt.Errorf("build probe pool: %w", firstErr)
	}
	p.Images = len(jobs)
	return p, nil
}

// dedupNoPrint tells an image the engines reject (that slot stays empty, as
// a failure to enrol) from a real error.
func dedupNoPrint(err error) bool {
	return errors.Is(err, finger.ErrNoPrint) || errors.Is(err, iris.ErrNoEye) || errors.Is(err, finger.ErrImage)
}

func dedupGrayFinger(g *image.Gray) *finger.Image {
	b := g.Bounds()
	pix := make([]uint8, b.Dx()*b.Dy())
	for y := 0; y < b.Dy(); y++ {
		copy(pix[y*b.Dx():], g.Pix[y*g.Stride:y*g.Stride+b.Dx()])
	}
	return &finger.Image{Width: b.Dx(), Height: b.Dy(), Pix: pix}
}

func dedupExtract(im *finger.Image) ([]byte, error) {
	t, err := finger.Extract(im)
	if err != nil {
		return nil, err
	}
	return t.MarshalBinary()
}
