// Package iris generates NIR iris images (320×280 by default, CASIA-like):
// dark pupil with the illuminator's highlight, an iris texture of radial
// fibres, collarette, crypts and furrows, sclera, eyelids and eyelashes.
// The texture is fixed in the rubber-sheet frame, so pupil dilation and eye
// rotation between impressions behave as iris matchers assume; Truth gives
// the pupil, limbus and eyelid geometry of each impression.
package iris
