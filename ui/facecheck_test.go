package ui

import (
	"context"
	"image"
	"image/color"
	_ "image/gif" // the Yale faces are GIFs
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/rekam-ktp/rekam/biometric/face"
	"github.com/rekam-ktp/rekam/internal/shareddata"
	"github.com/rekam-ktp/rekam/simulators/synth"
	"github.com/rekam-ktp/rekam/ui/port"
)

// stillCamera is a face camera that shows one fixed frame (a fake of the
// device layer, to put real photographs in front of the face screen).
type stillCamera struct{ img image.Image }

func (c stillCamera) Name() string            { return "STILL-CAM #0001" }
func (c stillCamera) State() port.DeviceState { return port.DeviceReady }
func (c stillCamera) CaptureFace(ctx context.Context, gate int, preview port.Preview) (port.Frame, error) {
	fr := port.Frame{Image: c.img, Quality: 90}
	if preview != nil {
		preview(fr)
	}
	return fr, ctx.Err()
}

// yale loads one Yale face photograph from the shared data.
func yale(t *testing.T, name string) image.Image {
	t.Helper()
	f, err := os.Open(filepath.Join(shareddata.Require(t, "faces", "yale"), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return img
}

// checklistRow returns the checklist line of a check ("" when absent).
func checklistRow(h *harness, check string) string {
	for _, l := range strings.Split(labelsText(h.w.Canvas().Content()), "\n") {
		if strings.Contains(l, checkName(check)) && (strings.HasPrefix(l, "✓") || strings.HasPrefix(l, "✗") || strings.HasPrefix(l, "–")) {
			return l
		}
	}
	return ""
}

func TestFaceChecklistIllumination(t *testing.T) {
	tests := []struct {
		name, photo string
		mark        string
		message     [2]string // ID, EN
	}{
		{"lit from the left", "subject02.leftlight", "✗", [2]string{"Cahaya tidak merata", "Uneven lighting"}},
		{"lit from the right", "subject03.rightlight", "✗", [2]string{"Cahaya tidak merata", "Uneven lighting"}},
		{"lit from the front", "subject02.centerlight", "✓", [2]string{"Cahaya merata", "Lighting even"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := yale(t, tt.photo)
			h := newHarness(t, true)
			h.a.opt.Devices.Face = stillCamera{img}
			h.toFingers("op1")
			h.a.flow.show(stepFace)
			h.shortcut(fyne.KeyR, false)
			row := checklistRow(h, face.CheckIllumination)
			if !strings.HasPrefix(row, tt.mark+" ") || !strings.Contains(row, checkMessage(tt.message[0], tt.message[1])) {
				t.Fatalf("illumination row %q, want %s with %q", row, tt.mark, checkMessage(tt.message[0], tt.message[1]))
			}
			// Every check of the engine has its row.
			for _, c := range []string{face.CheckSingleFace, face.CheckIED, face.CheckRoll, face.CheckExposure, face.CheckSharpness, face.CheckEyesOpen} {
				if checklistRow(h, c) == "" {
					t.Errorf("no row for %s", c)
				}
			}
			if tt.mark == "✗" && strings.Contains(labelsText(h.w.Canvas().Content()), lang.L("face2.all_ok")) {
				t.Error("summary says every check passed")
			}
		})
	}
}

func TestFaceChecklistReplacesBackdrop(t *testing.T) {
	blue := face.Colors[face.BackdropBlue]
	img := synth.FaceVariant(7, 0, synth.FaceOptions{Background: color.RGBA{blue.R, blue.G, blue.B, 255}})
	h := newHarness(t, true)
	h.a.opt.Devices.Face = stillCamera{img}
	h.toFingers("op1")
	h.a.flow.resident.BirthDate = "1991-01-01" // odd year: red is required
	h.a.flow.show(stepFace)
	h.shortcut(fyne.KeyR, false)
	text := labelsText(h.w.Canvas().Content())
	if !strings.Contains(text, "✗ "+checkMessage("Warna latar harus merah", "Background must be red")) {
		t.Fatalf("wrong backdrop not flagged:\n%s", text)
	}
	offer := button(h.w.Canvas().Content(), lang.X("face2.replace", "", map[string]any{"Colour": backgroundLabel(bgRed)}))
	if offer == nil {
		t.Fatal("no replacement offered")
	}
	test.Tap(offer)
	h.a.Wait()
	text = labelsText(h.w.Canvas().Content())
	if !strings.Contains(text, lang.L("face2.replaced")) || !strings.Contains(text, "✓ "+checkMessage("Warna latar sesuai", "Background colour correct")) {
		t.Fatalf("after replacement:\n%s", text)
	}
	caps := h.captures(h.a.flow.enrollmentID)
	got := decodeImage(caps[port.StepFace])
	if got == nil || got.Bounds().Dx() != face.CardPortrait.Width || got.Bounds().Dy() != face.CardPortrait.Height {
		t.Fatalf("stored face is not the repainted card portrait: %v", got)
	}
	if bg := backgroundOf(got); bg != bgRed {
		t.Fatalf("stored portrait background %q", bg)
	}
}
