package facerec

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func sample() *Record {
	return &Record{Images: []Face{{
		Gender: GenderFemale, EyeColour: 2, HairColour: 2, FeatureMask: 0x000003, Expression: 1,
		Pose:          [3]uint8{91, 91, 91},
		FeaturePoints: []FeaturePoint{{1, 0x31, 200, 240}, {1, 0x32, 280, 240}},
		ImageType:     TypeFullFrontal, DataType: DataJPEG, Width: 480, Height: 640, ColourSpace: 1,
		SourceType: 2, Quality: 0, Data: []byte("\xff\xd8\xff\xe0jpeg\xff\xd9"),
	}}}
}

func TestMarshalGolden(t *testing.T) {
	data, err := sample().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := []byte("FAC\x00010\x00" + "\x00\x00\x00\x48\x00\x01" + // length 72, 1 image
		"\x00\x00\x00\x3a\x00\x02\x02\x02\x02\x00\x00\x03\x00\x01\x5b\x5b\x5b\x00\x00\x00" + // facial info, image block of 58 bytes
		"\x01\x31\x00\xc8\x00\xf0\x00\x00\x01\x32\x01\x18\x00\xf0\x00\x00" + // 2 feature points
		"\x01\x00\x01\xe0\x02\x80\x01\x02\x00\x00\x00\x00" + // image info
		"\xff\xd8\xff\xe0jpeg\xff\xd9")
	if !bytes.Equal(data, want) {
		t.Fatalf("got  % x\nwant % x", data, want)
	}
	back, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, sample()) {
		t.Errorf("round trip:\n%+v\n%+v", back, sample())
	}
}

func TestUnmarshalRejects(t *testing.T) {
	valid, _ := sample().Marshal()
	mut := func(i int, b byte) []byte { d := append([]byte(nil), valid...); d[i] = b; return d }
	tests := []struct {
		name string
		data []byte
	}{
		{"short", valid[:10]},
		{"magic", mut(1, 'X')},
		{"record length", mut(11, 0x49)},
		{"no images", mut(13, 0)},
		{"two images", mut(13, 2)},
		{"image length", mut(17, 0x3b)},
		{"too many feature points", mut(19, 9)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Unmarshal(tt.data); !errors.Is(err, ErrFormat) {
				t.Errorf("error %v", err)
			}
		})
	}
	if _, err := (&Record{}).Marshal(); err == nil {
		t.Error("empty record marshalled")
	}
}

func FuzzUnmarshal(f *testing.F) {
	valid, _ := sample().Marshal()
	f.Add(valid)
	f.Add([]byte("FAC\x00010\x00\x00\x00\x00\x0e\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Unmarshal(data)
		if err != nil {
			return
		}
		out, err := r.Marshal()
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		back, err := Unmarshal(out)
		if err != nil || !reflect.DeepEqual(back, r) {
			t.Fatalf("round trip changed the record (%v)", err)
		}
	})
}
