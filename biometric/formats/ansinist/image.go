package ansinist

import "strconv"

// Image describes the image a record carries.
type Image struct {
	Width, Height int
	// Compression names the coding: "WSQ20", "JPEGB", "PNG", "NONE" …
	Compression string
	Data        []byte
}

// Image returns the image of a Type-4, -8, -10, -13, -14, -15 or -17
// record; ok is false for records without one.
func (r *Record) Image() (img Image, ok bool) {
	if b := r.Binary; b != nil {
		img = Image{Width: int(b.Width), Height: int(b.Height), Data: b.Data}
		switch {
		case r.Type == 8:
			img.Compression = [...]string{"NONE", "COMPRESSED", "VECTORS"}[min(int(b.Representation), 2)]
		case b.Compression == 1:
			img.Compression = "WSQ"
		case b.Compression == 0:
			img.Compression = "NONE"
		default:
			img.Compression = strconv.Itoa(int(b.Compression))
		}
		return img, r.Type != 7
	}
	switch r.Type {
	case 10, 13, 14, 15, 17:
	default:
		return Image{}, false
	}
	img.Width, _ = strconv.Atoi(r.Get(6))
	img.Height, _ = strconv.Atoi(r.Get(7))
	img.Compression = r.Get(11)
	img.Data = r.Bytes(999)
	return img, img.Data != nil
}
