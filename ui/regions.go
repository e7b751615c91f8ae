package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rekam-ktp/rekam/enroll/wilayah"
)

// regionCascade is the provinsi → kab/kota → kecamatan → desa chain of
// Selects; each choice loads the next level in the background.
type regionCascade struct {
	a       *App
	selects []*widget.Select
	codes   []map[string]string // option → code, per level
	box     *fyne.Container
	// source lists the regions under a parent (the station's by default).
	source func(parent string) ([]wilayah.Region, error)
	// picked is called with the deepest level's code.
	picked func(code string)
	// want is a code to select once its level has loaded (resume, edit).
	want string
}

// newRegionCascade returns a cascade of depth levels (3 = down to
// kecamatan, 4 = down to desa).
func newRegionCascade(a *App, depth int, picked func(code string)) *regionCascade {
	c := &regionCascade{a: a, picked: picked, box: container.NewVBox()}
	placeholders := []string{lang.L("region.province"), lang.L("region.kabkota"), lang.L("region.kecamatan"), lang.L("region.desa")}
	for i := 0; i < depth; i++ {
		i := i
		s := widget.NewSelect(nil, nil)
		s.PlaceHolder = placeholders[i]
		s.OnChanged = func(opt string) { c.chosen(i, opt) }
		s.Disable()
		c.selects = append(c.selects, s)
		c.codes = append(c.codes, map[string]string{})
		c.box.Add(s)
	}
	c.source = func(parent string) ([]wilayah.Region, error) {
		if a.st == nil {
			return nil, nil
		}
		return a.st.Regions(a.ctx, parent)
	}
	return c
}

// load fills level with the children of parent, in the background.
func (c *regionCascade) load(level int, parent string) {
	for i := level; i < len(c.selects); i++ {
		c.selects[i].Options = nil
		c.selects[i].ClearSelected()
		c.selects[i].Disable()
	}
	var regs []wilayah.Region
	c.a.async(func() error {
		var err error
		regs, err = c.source(parent)
		return err
	}, func(err error) {
		if err != nil {
			c.a.showError(err)
			return
		}
		opts := make([]string, len(regs))
		codes := map[string]string{}
		pick := ""
		for i, r := range regs {
			opts[i] = r.Name
			codes[r.Name] = r.Code
			if c.want != "" && (c.want == r.Code || hasPrefixCode(c.want, r.Code)) {
				pick = r.Name
			}
		}
		c.codes[level] = codes
		s := c.selects[level]
		s.Options = opts
		s.Enable()
		s.Refresh()
		if pick != "" {
			s.SetSelected(pick)
		}
	})
}

// hasPrefixCode reports whether the dotted code lies under the dotted parent.
func hasPrefixCode(code, parent string) bool {
	return len(code) > len(parent) && code[:len(parent)] == parent && code[len(parent)] == '.'
}

// chosen reacts to a choice at level: load the next, or report the code.
func (c *regionCascade) chosen(level int, opt string) {
	code, ok := c.codes[level][opt]
	if !ok {
		return
	}
	c.a.touch()
	if level+1 < len(c.selects) {
		c.load(level+1, code)
		return
	}
	if c.want == code {
		c.want = ""
	}
	if c.picked != nil {
		c.picked(code)
	}
}

// selectCode loads the cascade down to a known code (editing stored biodata).
func (c *regionCascade) selectCode(code string) {
	c.want = code
	c.load(0, "")
}
