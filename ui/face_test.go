package ui

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/rekam-ktp/rekam/enroll"
)

func TestKTPBackgroundRule(t *testing.T) {
	for _, c := range []struct {
		r    enroll.Resident
		want string
	}{
		{enroll.Resident{BirthDate: "1990-01-01", Citizenship: 1}, bgBlue},
		{enroll.Resident{BirthDate: "1991-05-17", Citizenship: 1}, bgRed},
		{enroll.Resident{BirthDate: "1991-05-17", Citizenship: 2}, bgOrange},
		{enroll.Resident{BirthDate: "", Citizenship: 1}, ""},
		{enroll.Resident{BirthDate: "19x1-01-01", Citizenship: 1}, ""},
	} {
		if got := ktpBackground(c.r); got != c.want {
			t.Errorf("ktpBackground(%s, %d) = %q, want %q", c.r.BirthDate, c.r.Citizenship, got, c.want)
		}
	}
}

func TestBackgroundOf(t *testing.T) {
	fill := func(c color.Color) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, 60, 80))
		for y := 0; y < 80; y++ {
			for x := 0; x < 60; x++ {
				img.Set(x, y, c)
			}
		}
		// A face in the middle must not change the verdict.
		for y := 20; y < 60; y++ {
			for x := 15; x < 45; x++ {
				img.Set(x, y, color.RGBA{198, 148, 110, 255})
			}
		}
		return img
	}
	for _, c := range []struct {
		c    color.Color
		want string
	}{
		{color.RGBA{0, 82, 165, 255}, bgBlue},
		{color.RGBA{200, 20, 30, 255}, bgRed},
		{color.RGBA{240, 130, 20, 255}, bgOrange},
		{color.RGBA{230, 230, 230, 255}, ""},
		{color.Gray{Y: 20}, ""},
	} {
		if got := backgroundOf(fill(c.c)); got != c.want {
			t.Errorf("backgroundOf(%v) = %q, want %q", c.c, got, c.want)
		}
	}
	if backgroundOf(nil) != "" || backgroundOf(image.NewGray(image.Rect(0, 0, 5, 5))) != "" {
		t.Error("empty or tiny image classified")
	}
}

func TestFaceStepChecksBackground(t *testing.T) {
	h := newHarness(t, true)
	h.toFingers("op1") // born 1990: blue, which the simulated camera has
	h.a.flow.show(stepFace)
	h.shortcut(fyne.KeyR, false)
	text := labelsText(h.w.Canvas().Content())
	if !strings.Contains(text, lang.X("face.bg_ok", "", map[string]any{"Colour": lang.L("face.bg_blue")})) {
		t.Fatalf("blue background not confirmed:\n%s", text)
	}
	// Born in an odd year: the blue backdrop is wrong.
	h.a.flow.resident.BirthDate = "1991-01-01"
	h.a.flow.show(stepFace)
	text = labelsText(h.w.Canvas().Content())
	if !strings.Contains(text, lang.X("face.rule", "", map[string]any{"Colour": lang.L("face.bg_red")})) ||
		!strings.Contains(text, lang.X("face.bg_wrong", "", map[string]any{"Colour": lang.L("face.bg_blue")})) {
		t.Fatalf("wrong background not flagged:\n%s", text)
	}
}
