// Package signature generates on-line signatures as pen samples at 200 Hz:
// a per-writer style (Hollerbach-style coupled oscillations in one to three
// strokes, slant, rhythm, pressure habit, optional underline) with natural
// variation between renditions, and skilled forgeries that copy the shape
// slowly and unsteadily with the forger's own pressure.
package signature
