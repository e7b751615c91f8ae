package port

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"

	"github.com/rekam-ktp/rekam/biometric/finger"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
)

// FingerLogin is the fingerprint login and the operators' login fingers
// (implemented by *StoreStation). Screens reach it with a type assertion
// on their Station.
type FingerLogin interface {
	// FingerLogin identifies the operator whose enrolled finger matches
	// probe (1:N) and starts their session; failures are
	// store.ErrFingerNoMatch, store.ErrFingerUnusable, store.ErrLocked or
	// store.ErrOperatorListExpired.
	FingerLogin(ctx context.Context, probe *finger.Template) (*operator.Session, error)
	// EnrollOperatorFinger sets or replaces name's login finger (an admin,
	// or the operator themself with their password).
	EnrollOperatorFinger(ctx context.Context, sess *operator.Session, name, password string, pos Finger, t *finger.Template) error
	// RemoveOperatorFinger deletes name's login finger.
	RemoveOperatorFinger(ctx context.Context, sess *operator.Session, name, password string) error
	// OperatorFingers lists the enrolled login fingers (admin only).
	OperatorFingers(ctx context.Context, sess *operator.Session) ([]store.OperatorFinger, error)
}

// LoginFinger is the finger operators enrol and present to log in: the
// right index.
const LoginFinger Finger = 2

// LoginImpressions is how many impressions the login-finger enrolment
// takes; the best-quality one is kept.
const LoginImpressions = 3

// ExtractFinger turns a scanner frame into a template (any image type; the
// scanner's resolution is taken as 500 dpi).
func ExtractFinger(img image.Image) (*finger.Template, error) {
	if img == nil {
		return nil, errors.New("extract finger: no image")
	}
	b := img.Bounds()
	g, ok := img.(*image.Gray)
	if !ok || g.Stride != b.Dx() {
		g = image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	}
	t, err := finger.Extract(&finger.Image{Width: b.Dx(), Height: b.Dy(), Pix: g.Pix})
	if err != nil {
		return nil, fmt.Errorf("extract finger: %w", err)
	}
	return t, nil
}

// BestTemplate extracts each impression and returns the template of the
// best quality (ties: the one with more minutiae). Impressions without a
// usable print are skipped; with none usable it returns
// store.ErrFingerUnusable.
func BestTemplate(imgs []image.Image) (*finger.Template, error) {
	var best *finger.Template
	for _, img := range imgs {
		t, err := ExtractFinger(img)
		if errors.Is(err, finger.ErrNoPrint) || errors.Is(err, finger.ErrImage) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if best == nil || t.Quality > best.Quality || (t.Quality == best.Quality && len(t.Minutiae) > len(best.Minutiae)) {
			best = t
		}
	}
	if best == nil || len(best.Minutiae) < store.MinLoginMinutiae {
		return nil, store.ErrFingerUnusable
	}
	return best, nil
}
