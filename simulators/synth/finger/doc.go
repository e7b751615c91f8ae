// Package finger generates synthetic fingerprints in the manner of SFinGe
// (Cappelli, Maio, Maltoni): the pattern class comes from the identity and
// finger; an orientation field from singular points (Sherlock–Monro
// zero-pole model, a bump model for plain arches) and a smoothly varying
// ridge period (~9 px at 500 dpi) steer a master print grown from seeds by
// iterative Gabor filtering at half resolution; each impression applies a
// rigid pose, Cappelli-style elastic distortion, an elliptical contact
// region, pressure (ridge thickness), pores, noise and wet/dry/low-quality
// artefacts. Ground truth: class, singular points and minutiae of the
// master (Master) and of each impression (Visible). Slap images place four
// fingers or two thumbs like a hand on a platen.
//
// Masters are grown once per (identity, finger) and kept in a small LRU
// cache; every function is safe for concurrent use.
package finger
