// Package wsq implements the FBI Wavelet Scalar Quantization (WSQ)
// grey-scale fingerprint image codec, version 3.1 of the specification: a
// 64-subband wavelet packet decomposition with the 9/7 biorthogonal filter
// pair, uniform scalar quantisation with a dead zone, and JPEG-like Huffman
// coding between SOI/SOF/SOB/DTT/DQT/DHT/COM markers. NIST_COM comments carry
// the scan resolution (ppi).
//
// Decode reads a file into an *image.Gray; Encode writes one at a chosen
// bit rate (0.75 bit/pixel is customary). The package registers the format
// "wsq" with the image package, so image.Decode reads WSQ files too.
package wsq

import (
	"errors"
	"image"
)

// Marker codes of a WSQ file.
const (
	markerSOI = 0xFFA0 // start of image
	markerEOI = 0xFFA1 // end of image
	markerSOF = 0xFFA2 // start of frame
	markerSOB = 0xFFA3 // start of block
	markerDTT = 0xFFA4 // define transform table
	markerDQT = 0xFFA5 // define quantisation table
	markerDHT = 0xFFA6 // define Huffman table
	markerDRT = 0xFFA7 // define restart interval (unused)
	markerCOM = 0xFFA8 // comment
)

// Limits that keep a hostile header from making the decoder allocate
// unbounded memory.
const (
	// MaxDimension is the largest width or height accepted.
	MaxDimension = 16384
	// MaxPixels is the largest width×height accepted.
	MaxPixels = 1 << 25
	// maxPixelsPerByte bounds the frame of a file that codes coefficients
	// by the file's size beyond freePixels: a real print at any usual rate
	// needs far more than one byte per 1024 pixels, so a short file cannot
	// make the decoder allocate and transform a huge coefficient plane. A
	// file that codes no coefficient is a flat image and costs one byte per
	// pixel up to MaxPixels.
	maxPixelsPerByte = 1024
	freePixels       = 1 << 20
)

// MinEncodeDimension is the smallest width and height Encode accepts. The
// smallest transform step works on lines of about 1/16 of the image; below
// six samples the NBIS-family decoders (the reference implementation and
// its ports) extend them differently from the specification's symmetric
// extension, and below four they fail, so smaller files would not decode
// the same everywhere. Decode accepts any size.
const MinEncodeDimension = 81

const (
	numBands     = 64 // subbands described by the quantisation table
	codedBands   = 60 // subbands that can carry coefficients (60..63 are always dropped)
	maxHuffTable = 8  // table identifiers 0..7
	block2Start  = 19 // first subband of the second block
	block3Start  = 52 // first subband of the third block
)

// ErrFormat reports input that is not a well-formed WSQ file.
var ErrFormat = errors.New("wsq: invalid format")

// ErrTooLarge reports a header whose dimensions exceed the decoder's limits
// or what the file's length could hold.
var ErrTooLarge = errors.New("wsq: image too large")

func init() {
	image.RegisterFormat("wsq", "\xff\xa0", Decode, DecodeConfig)
}
