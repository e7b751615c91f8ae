// Package iris is the station's pure-Go iris engine: segmentation of a
// near-infrared eye image (pupil and limbus as separate, non-concentric
// boundaries, upper and lower eyelids, eyelashes and specular reflections in a
// noise mask), Daugman rubber-sheet normalisation, 1-D log-Gabor phase
// encoding into a fixed-size iris code with its mask, a bit-sliced matcher
// (masked fractional Hamming distance, minimum over rotation shifts,
// normalised for the number of bits compared) and an image quality
// assessment in the spirit of ISO/IEC 29794-6 used as the capture gate.
//
// The usual entry point is [Enroll], which turns an image into a [Template]
// and a [Quality] report; [NewProbe] prepares a template for fast 1:1 or 1:N
// comparison with [Probe.Compare].
package iris
