// Package face draws frontal portraits good enough for face detection and
// ICAO-style quality tests: a shaded skin-toned oval with eyes, brows, nose,
// mouth, ears, hair, neck and clothing on a plain background, with variants
// (eyes closed, head turned, side lighting, hijab, glasses and glare) and
// landmark truth.
package face
